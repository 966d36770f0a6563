import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { startApp } from '../helpers/app.js';
import { sampleDocs } from '../helpers/docs.js';

/** The search API over a real HTTP server on loopback. */
let base: string;
let ready = false;
let draining = false;
let logs: Record<string, unknown>[];
let close: () => Promise<void>;

beforeAll(async () => {
  const snapshot = await IndexSnapshot.build(
    { sources: [], documents: sampleDocs(), parent: null },
    { kind: 'hashed' },
  );
  const retriever = new Retriever(snapshot);
  ({ base, close, logs } = await startApp(() => (ready ? retriever : null), { draining: () => draining }));
});

afterAll(async () => {
  await close();
});

describe('search API', () => {
  it('says it is still loading (503, in Vietnamese) until the index is ready', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { message: string }).message).toMatch(/chỉ mục/u);
    const search = await fetch(`${base}/api/search?q=khai%20sinh`);
    expect(search.status).toBe(503);
    ready = true;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('a chat stream that fails after its 200 sends an error event in Vietnamese and is logged as failed', async () => {
    ready = false;
    const res = await fetch(`${base}/api/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'lệ phí khai sinh' }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^event: error\ndata: \{"error":"snapshot_missing","message":"Đang nạp chỉ mục/mu);
    ready = true;
    expect(
      logs.some(
        (l) =>
          l.msg === 'request failed' && l.path === '/api/chat/stream' && l.streamError === 'snapshot_missing',
      ),
    ).toBe(true);
  });

  it('goes unready (503, in Vietnamese) while the process drains for a restart', async () => {
    ready = true;
    draining = true;
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'draining' });
    draining = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('returns the matching procedure with its citation for a question without diacritics', async () => {
    ready = true;
    const res = await fetch(`${base}/api/search?q=${encodeURIComponent('dang ky khai sinh')}&k=3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: string; passages: { citation: string }[] }[] };
    expect(body.results[0]?.id).toBe('khai-sinh');
    expect(body.results[0]?.passages[0]?.citation).toMatch(/^Đăng ký khai sinh · đoạn \d$/u);
  });

  it('never shows internal documents on the public search', async () => {
    ready = true;
    const res = await fetch(
      `${base}/api/search?q=${encodeURIComponent('quy chế nội bộ tiếp nhận hồ sơ')}&k=10`,
    );
    const body = (await res.json()) as { results: { id: string }[] };
    expect(body.results.map((r) => r.id)).not.toContain('noi-bo');
  });

  it('rejects a missing or oversized query with a clear JSON error', async () => {
    ready = true;
    const missing = await fetch(`${base}/api/search`);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: 'bad_request',
      message: 'Yêu cầu không hợp lệ.',
      detail: expect.stringMatching(/"q"/u),
    });
    const long = await fetch(`${base}/api/search?q=${'a'.repeat(1001)}`);
    expect(long.status).toBe(400);
    const unknown = await fetch(`${base}/khong-co`);
    expect(unknown.status).toBe(404);
  });
});
