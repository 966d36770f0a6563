import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The browser module, with the slice of its JSDoc types this test uses (see colour.test.ts).
interface StreamEvent {
  event: string;
  data: string;
}
interface SseModule {
  parseEventBlock(block: string): StreamEvent | null;
  readEventStream(res: Response, onEvent: (e: StreamEvent) => boolean | void): Promise<void>;
}
const sse = (await import(
  pathToFileURL(path.resolve(import.meta.dirname, '../../../src/lib/browser/sse.js')).href
)) as SseModule;

/** A streamed response delivering `chunks` one by one; `pulled` counts the chunks read. */
function streamed(chunks: string[]): { res: Response; pulled: () => number; cancelled: () => boolean } {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  let i = 0;
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = bytes[i++];
      if (next) controller.enqueue(next);
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { res: new Response(body), pulled: () => i, cancelled: () => cancelled };
}

async function collect(res: Response): Promise<StreamEvent[]> {
  const seen: StreamEvent[] = [];
  await sse.readEventStream(res, (e) => {
    seen.push(e);
  });
  return seen;
}

const STREAM =
  'event: delta\ndata: {"text":"Lệ "}\n\n: keep-alive\n\nevent: delta\ndata: {"text":"phí"}\n\nevent: answer\ndata: {"answer":"Lệ phí",\ndata: "grounded":true}\n\n';
const EXPECTED = [
  { event: 'delta', data: '{"text":"Lệ "}' },
  { event: 'delta', data: '{"text":"phí"}' },
  { event: 'answer', data: '{"answer":"Lệ phí",\n"grounded":true}' },
];

describe('the Server-Sent Events reader of the browser pages', () => {
  it('parses a block: event name (default "message") and data lines joined, comments skipped', () => {
    expect(sse.parseEventBlock('data: a\ndata:b')).toEqual({ event: 'message', data: 'a\nb' });
    expect(sse.parseEventBlock('event: error\ndata: {}')).toEqual({ event: 'error', data: '{}' });
    expect(sse.parseEventBlock(': comment')).toBeNull();
  });

  it('reads events split anywhere across chunks, including inside a UTF-8 character and a CRLF', async () => {
    const whole = new TextEncoder().encode(STREAM.replace(/\n/gu, '\r\n'));
    for (const size of [1, 2, 3, 7, 64, whole.length]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < whole.length; i += size) chunks.push(whole.slice(i, i + size));
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          const next = chunks[i++];
          if (next) c.enqueue(next);
          else c.close();
        },
      });
      expect(await collect(new Response(body)), `chunks of ${size} bytes`).toEqual(EXPECTED);
    }
  });

  it('reads a last event that has no blank line after it', async () => {
    expect(await collect(streamed(['data: 1\n\ndata: 2']).res)).toEqual([
      { event: 'message', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('reads the whole text at once where the body cannot be streamed', async () => {
    const res = { body: null, text: () => Promise.resolve(STREAM) } as unknown as Response;
    expect(await collect(res)).toEqual(EXPECTED);
  });

  it('stops and cancels the stream when the handler returns false, and rejects with what it throws', async () => {
    const s = streamed(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
    const seen: string[] = [];
    await sse.readEventStream(s.res, (e) => {
      seen.push(e.data);
      return e.data !== '2';
    });
    expect(seen).toEqual(['1', '2']);
    expect(s.cancelled()).toBe(true);
    expect(s.pulled()).toBeLessThan(4);

    const failing = streamed(['event: error\ndata: {"message":"Hết giờ"}\n\n']);
    await expect(
      sse.readEventStream(failing.res, (e) => {
        if (e.event === 'error') throw new Error('Hết giờ');
      }),
    ).rejects.toThrow('Hết giờ');
  });
});
