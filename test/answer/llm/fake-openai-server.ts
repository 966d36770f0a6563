import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat message as the client sent it. */
export interface FakeChatMessage {
  role: string;
  content: string;
}

/** The parts of a chat-completions request body the tests look at. */
export interface FakeChatBody {
  model: string;
  messages: FakeChatMessage[];
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  [key: string]: unknown;
}

/** One request the fake server received. */
export interface FakeRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: FakeChatBody;
}

/**
 * What to answer. `content` is the assistant text (sent as one chunk when the client streams);
 * `chunks` are the streamed deltas (joined for a non-streaming request); `status` ≠ 200 sends
 * `body` (default an OpenAI-style error); `delayMs` waits before answering, `chunkDelayMs` between chunks.
 */
export interface FakeReply {
  content?: string;
  chunks?: string[];
  status?: number;
  body?: unknown;
  delayMs?: number;
  chunkDelayMs?: number;
}

/** Computes the reply from the request (and may inspect it). */
export type FakeResponder = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

/** A running fake OpenAI-compatible server on loopback. */
export interface FakeOpenAiServer {
  /** Give this to the client: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  /** Every chat-completions request received, oldest first. */
  requests: FakeRequest[];
  /** Replaces the responder for later requests. */
  respondWith(responder: FakeResponder): void;
  close(): Promise<void>;
}

/** Starts a fake `POST /v1/chat/completions` server (JSON and SSE streaming) on 127.0.0.1, port 0. */
export async function startFakeOpenAiServer(responder: FakeResponder): Promise<FakeOpenAiServer> {
  const state = { responder, requests: [] as FakeRequest[] };
  const server = createServer((req, res) => {
    handle(req, res, state).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err), type: 'fake_server_error' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: state.requests,
    respondWith(next) {
      state.responder = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  state: { responder: FakeResponder; requests: FakeRequest[] },
): Promise<void> {
  const raw = await readBody(req);
  if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' } }));
    return;
  }
  const request: FakeRequest = {
    method: req.method,
    url: req.url,
    headers: req.headers,
    body: JSON.parse(raw) as FakeChatBody,
  };
  state.requests.push(request);
  const reply = await state.responder(request);
  if (reply.delayMs && !(await sleepUnlessClosed(reply.delayMs, res))) return;
  if (reply.status !== undefined && reply.status !== 200) {
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(reply.body ?? { error: { message: 'fake upstream failure', type: 'server_error' } }),
    );
    return;
  }
  const chunks = reply.chunks ?? [reply.content ?? ''];
  if (request.body.stream) await sendStream(res, request.body.model, chunks, reply.chunkDelayMs ?? 0);
  else sendJson(res, request.body.model, chunks.join(''));
}

function sendJson(res: ServerResponse, model: string, content: string): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }),
  );
}

async function sendStream(
  res: ServerResponse,
  model: string,
  chunks: string[],
  chunkDelayMs: number,
): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const frame = (delta: Record<string, string>, finish: string | null): string =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  res.write(frame({ role: 'assistant', content: '' }, null));
  for (const content of chunks) {
    if (chunkDelayMs > 0 && !(await sleepUnlessClosed(chunkDelayMs, res))) return;
    res.write(frame({ content }, null));
  }
  res.write(frame({}, 'stop'));
  res.end('data: [DONE]\n\n');
}

/** Waits ms; false when the client went away meanwhile (a timed-out request), so nothing more is written. */
function sleepUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    res.once('close', onClose);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}
