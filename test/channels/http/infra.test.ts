import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { maskPii } from '../../../src/text/index.js';
import { createRateLimiter, rateLimitByIp } from '../../../src/channels/http/rate-limit.js';
import { gracefulShutdown } from '../../../src/channels/http/shutdown.js';
import { createMetrics, metricsMiddleware } from '../../../src/channels/http/metrics.js';

describe('personal data in logs', () => {
  it.each([
    ['CCCD 001203004567 của tôi', 'CCCD [CCCD] của tôi'],
    ['CMND 123456789', 'CMND [CMND]'],
    ['gọi 0912 345 678 nhé', 'gọi [SĐT] nhé'],
    ['sđt +84912345678', 'sđt [SĐT]'],
    ['mail an.nguyen@example.vn', 'mail [email]'],
  ])('masks %s', (input, output) => expect(maskPii(input)).toBe(output));

  it.each([
    'snapshot 20261203T142450087Z-evc3co',
    'Thủ tục 1.001193',
    'mã 1.001612.000.00.00.H01',
    'Nghị định 123/2015/NĐ-CP',
    'ngày 01/01/2020',
    'lệ phí 100.000 đồng',
    'Quyết định 1234/QĐ-UBND',
  ])('leaves %s readable', (text) => expect(maskPii(text)).toBe(text));

  it('is idempotent and never leaves a 12-digit run', () => {
    fc.assert(
      fc.property(fc.string(), fc.stringMatching(/^\d{12}$/u), fc.string(), (a, id, b) => {
        const once = maskPii(`${a} ${id} ${b}`);
        expect(maskPii(once)).toBe(once);
        expect(once).not.toMatch(/(?<!\d)\d{12}(?!\d)/u);
      }),
    );
  });
});

async function listen(app: express.Express) {
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('rate limits', () => {
  it('refills tokens over time (fake clock)', () => {
    let t = 0;
    const l = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: () => t });
    expect([l.take('a').allowed, l.take('a').allowed, l.take('a').allowed]).toEqual([true, true, false]);
    expect(l.take('b').allowed).toBe(true);
    t = 1000;
    expect(l.take('a').allowed).toBe(true);
  });

  it('answers 429 with Retry-After and a Vietnamese message over HTTP', async () => {
    const app = express();
    app.use(rateLimitByIp(createRateLimiter({ capacity: 1, refillPerSecond: 0.1 })));
    app.get('/x', (_req, res) => res.json({ ok: true }));
    app.use(
      (
        err: { status: number; message: string },
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(err.status).json({ message: err.message });
      },
    );
    const { server, base } = await listen(app);
    expect((await fetch(`${base}/x`)).status).toBe(200);
    const limited = await fetch(`${base}/x`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(((await limited.json()) as { message: string }).message).toMatch(/quá nhiều yêu cầu/u);
    server.close();
  });
});

describe('metrics', () => {
  it('labels request latency by route pattern and counts answers by outcome', async () => {
    const metrics = createMetrics();
    const app = express();
    app.use(metricsMiddleware(metrics));
    app.get('/items/:id', (_req, res) => res.json({}));
    const { server, base } = await listen(app);
    await fetch(`${base}/items/42`);
    metrics.answers.inc({ channel: 'web', outcome: 'declined' });
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/items/:id",status="200"} 1',
    );
    expect(text).toContain('assistant_answers_total{channel="web",outcome="declined"} 1');
    server.close();
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish and refuses new connections', async () => {
    const app = express();
    app.get('/slow', (_req, res) => {
      setTimeout(() => res.json({ done: true }), 300);
    });
    const { server, base } = await listen(app);
    let closed = false;
    const stop = gracefulShutdown(server, { timeoutMs: 5000, onClose: async () => void (closed = true) });
    const inFlight = fetch(`${base}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const stopped = stop();
    expect((await inFlight).status).toBe(200);
    await stopped;
    expect(closed).toBe(true);
    await expect(fetch(`${base}/slow`)).rejects.toThrow();
  });
});
