// @ts-check
/* Trợ lý Công vụ: a reader of Server-Sent Events delivered by fetch (EventSource can neither POST
 * nor send an Authorization header). Shared by the browser pages; served as an ES module at
 * /assets/lib/browser/sse.js. It only splits the stream into events; what the data means is the
 * caller's business. */

/**
 * One event of the stream: its `event:` name ("message" when absent) and its `data:` lines joined
 * with "\n". Blocks without data (comments, keep-alives) are not reported.
 * @typedef {{ event: string, data: string }} StreamEvent
 */

/**
 * Parses one block (the lines between two blank lines); null when it carries no data.
 * @param {string} block
 * @returns {StreamEvent | null}
 */
export function parseEventBlock(block) {
  let event = 'message';
  /** @type {string[]} */
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return data.length === 0 ? null : { event, data: data.join('\n') };
}

/**
 * Reads `res.body` as an event stream and calls `onEvent` for each event, in order, as it arrives
 * (or, where the body cannot be streamed, once the whole text is in). Resolves when the stream ends,
 * or as soon as `onEvent` returns `false` (the rest is cancelled); rejects with whatever `onEvent`
 * throws. CRLF line ends are read as LF.
 * @param {Response} res
 * @param {(event: StreamEvent) => boolean | void} onEvent
 * @returns {Promise<void>}
 */
export async function readEventStream(res, onEvent) {
  /** Splits complete blocks off `buffer`; returns what is left, or null once `onEvent` said stop. @param {string} buffer @returns {string | null} */
  const drain = (buffer) => {
    let i;
    while ((i = buffer.indexOf('\n\n')) >= 0) {
      const parsed = parseEventBlock(buffer.slice(0, i));
      buffer = buffer.slice(i + 2);
      if (parsed && onEvent(parsed) === false) return null;
    }
    return buffer;
  };
  /** @param {string} rest */
  const finish = (rest) => {
    const parsed = rest.trim() ? parseEventBlock(rest) : null;
    if (parsed) onEvent(parsed);
  };

  if (!res.body || typeof res.body.getReader !== 'function') {
    const rest = drain((await res.text()).replace(/\r\n/g, '\n'));
    if (rest !== null) finish(rest);
    return;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += decoder.decode(value ?? new Uint8Array(0), { stream: !done });
      const rest = drain(buffer.replace(/\r\n/g, '\n'));
      if (rest === null) break;
      buffer = rest;
      if (done) {
        finish(buffer);
        return;
      }
    }
  } catch (err) {
    reader.cancel().catch(() => {});
    throw err;
  }
  // onEvent asked to stop: the server may still be sending.
  reader.cancel().catch(() => {});
}
