import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../../src/answer/assistant.js';
import { createApp } from '../../../src/channels/app.js';
import { createLogger } from '../../../src/channels/http/logger.js';
import { createMetrics } from '../../../src/channels/http/metrics.js';
import { TOKEN_SETTING, ZaloClient } from '../../../src/channels/zalo/client.js';
import {
  createZaloChannel,
  zaloConversationId,
  ZALO_SLOW_DOWN,
  ZALO_TEXT_ONLY,
  type ZaloChannel,
} from '../../../src/channels/zalo/webhook.js';
import type { ZaloConfig } from '../../../src/channels/zalo/webhook.js';
import type { Retriever } from '../../../src/retrieve/retriever.js';
import { SqliteStore } from '../../../src/store/sqlite-store.js';
import {
  FAKE_OA_ID,
  signZaloEvent,
  startFakeZalo,
  zaloEvent,
  type FakeZalo,
} from '../../../scripts/lib/fake-zalo.js';
import { bundledRetriever, memoryLog } from '../../helpers/app.js';

const APP_ID = '1234567890123456789';
const OA_SECRET = 'oa-secret-key-for-tests';
const APP_SECRET = 'app-secret-for-tests';
const PUBLIC_BASE = 'https://trolycongvu.example.gov.vn';

let retriever: Retriever;
beforeAll(async () => {
  retriever = await bundledRetriever();
});

interface Running {
  base: string;
  store: SqliteStore;
  zalo: ZaloChannel;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

const running: Running[] = [];
const dirs: string[] = [];
/** A temporary folder for a database file, removed after the test. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-zalo-'));
  dirs.push(dir);
  return dir;
}
const fakes: FakeZalo[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
  for (const f of fakes.splice(0)) await f.close();
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function fakeZalo(): Promise<FakeZalo> {
  const f = await startFakeZalo({ appSecret: APP_SECRET });
  fakes.push(f);
  return f;
}

/** The server as `npm start` runs it with Zalo configured, on a database file that survives restarts. */
async function startServer(
  fake: FakeZalo,
  options: { dbFile?: string; userPerMinute?: number; attempts?: number; timeoutMs?: number } = {},
): Promise<Running> {
  const dbFile = options.dbFile ?? path.join(await tempDir(), 'assistant.db');
  const store = SqliteStore.open(dbFile);
  const log = memoryLog();
  const logger = createLogger({ level: 'info', destination: log.stream });
  const config: ZaloConfig = {
    appId: APP_ID,
    appSecret: APP_SECRET,
    oaSecretKey: OA_SECRET,
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    apiBaseUrl: fake.url,
    oauthBaseUrl: fake.url,
    replayWindowMs: 10 * 60_000,
    userPerMinute: options.userPerMinute ?? 60,
  };
  const assistant = createAssistant({ retriever: () => retriever, store, handoffContact: 'Tổng đài 1022' });
  const client = new ZaloClient({
    appId: APP_ID,
    appSecret: APP_SECRET,
    apiBaseUrl: fake.url,
    oauthBaseUrl: fake.url,
    initialTokens: { accessToken: 'access-0', refreshToken: 'refresh-0' },
    store,
    logger,
    backoffMs: 5,
    attempts: options.attempts ?? 4,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const zalo = createZaloChannel({ config, assistant, store, logger, client, publicBaseUrl: PUBLIC_BASE });
  const app = createApp({
    retriever: () => retriever,
    assistant,
    store,
    logger,
    metrics: createMetrics(),
    zalo,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const r: Running = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    zalo,
    logs: log.lines,
    close: async () => {
      running.splice(running.indexOf(r), 1);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await zalo.idle();
      await store.close();
    },
  };
  running.push(r);
  return r;
}

function post(base: string, body: string, headers: Record<string, string>) {
  return fetch(`${base}/webhooks/zalo`, { method: 'POST', body, headers });
}

/** Posts an event signed the way Zalo signs it. */
function send(base: string, event: Record<string, unknown>) {
  const { body, headers } = signZaloEvent(event, OA_SECRET);
  return post(base, body, headers);
}

afterAll(() => undefined);

describe('Zalo OA webhook', () => {
  it('a citizen asking without diacritics gets a cited plain-text answer, after the webhook was acknowledged', async () => {
    const fake = await fakeZalo();
    fake.behaviour.sendDelayMs = 200;
    const s = await startServer(fake);
    const res = await send(
      s.base,
      zaloEvent('user_send_text', APP_ID, 'u-1', { text: 'le phi dang ky khai sinh bao nhieu' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(fake.sent).toHaveLength(0); // acknowledged before the answer went out
    const [msg] = await fake.waitForMessages(1);
    expect(msg!.userId).toBe('u-1');
    expect(msg!.text).toMatch(/khai sinh/iu);
    const source = /Nguồn:\n\[1\] Thủ tục ([0-9.]+) – [^\n]*khai sinh[^\n]*\n(\S+)/u.exec(msg!.text);
    expect(source, msg!.text).not.toBeNull();
    // The link opens this server's page of the cited passage.
    const link = new URL(source![2]!);
    expect(link.origin).toBe(PUBLIC_BASE);
    const page = await fetch(`${s.base}${link.pathname}${link.search}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`id="${decodeURIComponent(link.hash.slice(1))}"`);
    expect(html).toMatch(/lệ phí/iu);
    expect(msg!.text).not.toMatch(/<\/?[a-z]+>|\*\*/u);
    await s.zalo.idle();
    const conversation = await s.store.getConversation(zaloConversationId(FAKE_OA_ID, 'u-1'));
    expect(conversation?.channel).toBe('zalo');
    const messages = await s.store.listMessages(zaloConversationId(FAKE_OA_ID, 'u-1'));
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('replying with the number of a suggested follow-up asks that follow-up', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-2', { text: 'thu tuc dang ky ket hon' }));
    const [first] = await fake.waitForMessages(1);
    const options = /\n1\. (.+)/u.exec(first!.text);
    expect(options, first!.text).not.toBeNull();
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-2', { text: '1' }));
    const all = await fake.waitForMessages(2);
    expect(all[1]!.text).not.toBe(first!.text);
    expect(all[1]!.text).toMatch(/\[1\]/u);
    expect(all[1]!.text).not.toMatch(/Xin lỗi/u);
  });

  it('a forged, missing, malformed or tampered signature gets 401 and nothing is answered or stored', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    const event = zaloEvent('user_send_text', APP_ID, 'u-forged', { text: 'lệ phí khai sinh' });
    const forged = signZaloEvent(event, 'not-the-oa-secret');
    const good = signZaloEvent(event, OA_SECRET);
    const attempts: [string, Record<string, string>][] = [
      [forged.body, forged.headers],
      [good.body, { 'Content-Type': 'application/json' }],
      [good.body, { 'Content-Type': 'application/json', 'X-ZEvent-Signature': 'mac=xyz' }],
      [
        good.body,
        {
          'Content-Type': 'application/json',
          'X-ZEvent-Signature': good.headers['X-ZEvent-Signature']!.replace('mac=', ''),
        },
      ],
      [good.body.replace('lệ phí', 'lệ phi'), good.headers],
      ['not json', good.headers],
    ];
    for (const [body, headers] of attempts) {
      const res = await post(s.base, body, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
    }
    // The same bytes signed for another app are refused too.
    const other = signZaloEvent({ ...event, app_id: '999' }, OA_SECRET);
    expect((await post(s.base, other.body, other.headers)).status).toBe(401);
    await s.zalo.idle();
    expect(fake.sendAttempts).toBe(0);
    expect(await s.store.getConversation(zaloConversationId(FAKE_OA_ID, 'u-forged'))).toBeNull();
    // A genuine event with that msg_id is still answered: the forged ones did not mark it seen.
    expect((await post(s.base, good.body, good.headers)).status).toBe(200);
    await fake.waitForMessages(1);
  });

  it('an event older than the replay window is rejected even with a valid signature', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    const old = zaloEvent('user_send_text', APP_ID, 'u-old', {
      text: 'lệ phí khai sinh',
      timestamp: Date.now() - 11 * 60_000,
    });
    const res = await send(s.base, old);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/timestamp/u);
    await s.zalo.idle();
    expect(fake.sendAttempts).toBe(0);
  });

  it('a retried event (same msg_id) is answered once, also after a restart on the same database', async () => {
    const fake = await fakeZalo();
    const dbFile = path.join(await tempDir(), 'assistant.db');
    let s = await startServer(fake, { dbFile });
    const event = zaloEvent('user_send_text', APP_ID, 'u-dup', {
      text: 'cấp lại thẻ căn cước',
      msgId: 'msg-dup-1',
    });
    const acks = await Promise.all([send(s.base, event), send(s.base, event), send(s.base, event)]);
    expect(acks.map((r) => r.status)).toEqual([200, 200, 200]);
    await s.zalo.idle();
    const answered = fake.sent.length;
    expect(answered).toBeGreaterThanOrEqual(1);
    await s.close();
    s = await startServer(fake, { dbFile });
    expect((await send(s.base, event)).status).toBe(200);
    await s.zalo.idle();
    expect(fake.sent).toHaveLength(answered);
    expect(await s.store.listMessages(zaloConversationId(FAKE_OA_ID, 'u-dup'))).toHaveLength(2);
  });

  it('following the OA gets a welcome with example questions; media gets a text-only notice; OA echoes are ignored', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    await send(s.base, zaloEvent('follow', APP_ID, 'u-follow'));
    await send(s.base, zaloEvent('user_send_image', APP_ID, 'u-media'));
    await send(s.base, zaloEvent('user_send_sticker', APP_ID, 'u-media'));
    await send(s.base, zaloEvent('oa_send_text', APP_ID, 'u-follow', { text: 'tin nhắn của OA' }));
    await s.zalo.idle();
    const byUser = (u: string) => fake.sent.filter((m) => m.userId === u).map((m) => m.text);
    expect(byUser('u-follow')).toHaveLength(1);
    expect(byUser('u-follow')[0]).toMatch(/Ví dụ, bạn có thể hỏi:\n- /u);
    expect(byUser('u-media')).toEqual([ZALO_TEXT_ONLY, ZALO_TEXT_ONLY]);
    expect(fake.sent).toHaveLength(3);
  });

  it('a citizen flooding the OA is asked once to slow down, and another citizen is still answered', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake, { userPerMinute: 4 });
    for (let i = 0; i < 8; i++)
      await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-flood', { text: `lệ phí khai sinh ${i}` }));
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-calm', { text: 'thủ tục đăng ký kết hôn' }));
    await s.zalo.idle();
    const flood = fake.sent.filter((m) => m.userId === 'u-flood').map((m) => m.text);
    expect(flood.filter((t) => t === ZALO_SLOW_DOWN)).toHaveLength(1);
    expect(flood.filter((t) => t !== ZALO_SLOW_DOWN).length).toBeLessThanOrEqual(3);
    expect(fake.sent.filter((m) => m.userId === 'u-calm')).toHaveLength(1);
  });

  it('a long answer arrives as several messages of at most 2,000 characters each, in order', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    // A legal provision quoted in full is the longest kind of answer in the bundled corpus.
    const questions = [
      'trình tự thực hiện đăng ký kết hôn có yếu tố nước ngoài',
      'thành phần hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ',
    ];
    for (const text of questions) await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-long', { text }));
    await s.zalo.idle();
    expect(fake.sent.length).toBeGreaterThanOrEqual(2);
    for (const m of fake.sent) expect([...m.text].length).toBeLessThanOrEqual(2000);
  });

  it('an expired token is refreshed once for many concurrent messages, and the rotated tokens are stored', async () => {
    const fake = await fakeZalo();
    fake.behaviour.refreshDelayMs = 100;
    const s = await startServer(fake);
    fake.expireAccessToken();
    const users = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(
      users.map((u) =>
        send(s.base, zaloEvent('user_send_text', APP_ID, `u-${u}`, { text: 'lệ phí khai sinh' })),
      ),
    );
    await s.zalo.idle();
    expect(new Set(fake.sent.map((m) => m.userId))).toEqual(new Set(users.map((u) => `u-${u}`)));
    expect(fake.refreshes).toHaveLength(1);
    expect(fake.refreshes[0]).toMatchObject({
      refreshToken: 'refresh-0',
      secretKey: APP_SECRET,
      appId: APP_ID,
    });
    expect(JSON.parse((await s.store.getSetting(TOKEN_SETTING))!)).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
  });

  it('two processes refreshing the same token at once both end up sending with the one that won', async () => {
    const fake = await fakeZalo();
    fake.behaviour.refreshDelayMs = 150;
    const dbFile = path.join(await tempDir(), 'assistant.db');
    const first = await startServer(fake, { dbFile });
    const second = await startServer(fake, { dbFile });
    fake.expireAccessToken();
    await Promise.all([
      send(first.base, zaloEvent('user_send_text', APP_ID, 'u-p1', { text: 'lệ phí khai sinh' })),
      send(second.base, zaloEvent('user_send_text', APP_ID, 'u-p2', { text: 'lệ phí khai sinh' })),
    ]);
    await Promise.all([first.zalo.idle(), second.zalo.idle()]);
    expect(fake.sent.map((m) => m.userId).sort()).toEqual(['u-p1', 'u-p2']);
    expect(new Set(fake.sent.map((m) => m.accessToken))).toEqual(new Set(['access-1']));
    const stored = JSON.parse((await first.store.getSetting(TOKEN_SETTING))!) as { refreshToken: string };
    expect(stored.refreshToken).toBe(fake.validRefreshToken);
  });

  it('Zalo answering 5xx is retried with backoff; after the bound the message is given up and logged', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake, { attempts: 3 });
    fake.behaviour.failNextSends = 2;
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-retry', { text: 'lệ phí khai sinh' }));
    await s.zalo.idle();
    expect(fake.sent.filter((m) => m.userId === 'u-retry')).toHaveLength(1);
    fake.behaviour.failNextSends = 100;
    const before = fake.sendAttempts;
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-down', { text: 'lệ phí khai sinh' }));
    await s.zalo.idle();
    expect(fake.sendAttempts - before).toBe(3);
    expect(fake.sent.filter((m) => m.userId === 'u-down')).toHaveLength(0);
    expect(s.logs.some((l) => l.msg === 'zalo message not delivered, giving up')).toBe(true);
  });

  it('a message whose send timed out is not sent again, so the citizen never gets the same answer twice', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake, { attempts: 3, timeoutMs: 200 });
    fake.behaviour.sendDelayMs = 400;
    const before = fake.sendAttempts;
    await send(s.base, zaloEvent('user_send_text', APP_ID, 'u-slow', { text: 'lệ phí khai sinh' }));
    await s.zalo.idle();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.sendAttempts - before).toBe(1);
    expect(fake.sent.filter((m) => m.userId === 'u-slow')).toHaveLength(1);
    expect(s.logs.some((l) => l.msg === 'zalo call may have been delivered; not sent again')).toBe(true);
  });

  it('events routed to the webhook ahead of Express, as npm start does, are acknowledged and answered the same way', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    const { createServer } = await import('node:http');
    const { WEBHOOK_PATH } = await import('../../../src/channels/zalo/webhook.js');
    // Everything else would go to Express; this server only has the webhook.
    const direct = createServer((req, res) => {
      if (req.method === 'POST' && req.url === WEBHOOK_PATH) s.zalo.handle(req, res);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => direct.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(direct.address() as AddressInfo).port}`;
    try {
      const ok = await send(
        base,
        zaloEvent('user_send_text', APP_ID, 'u-direct', { text: 'lệ phí đăng ký khai sinh' }),
      );
      expect([ok.status, await ok.json()]).toEqual([200, { received: true }]);
      const forged = signZaloEvent(
        zaloEvent('user_send_text', APP_ID, 'u-direct', { text: 'x' }),
        'wrong-key',
      );
      expect((await post(base, forged.body, forged.headers)).status).toBe(401);
      const big = await send(
        base,
        zaloEvent('user_send_text', APP_ID, 'u-direct', { text: 'a'.repeat(70_000) }),
      );
      expect(big.status).toBe(413);
      await s.zalo.idle();
      expect(fake.sent.filter((m) => m.userId === 'u-direct')).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => direct.close(() => resolve()));
    }
  });

  it('a body over 64 kB is refused without being read as an event', async () => {
    const fake = await fakeZalo();
    const s = await startServer(fake);
    const event = zaloEvent('user_send_text', APP_ID, 'u-big', { text: 'a'.repeat(70_000) });
    const res = await send(s.base, event);
    expect(res.status).toBe(413);
    await s.zalo.idle();
    expect(fake.sendAttempts).toBe(0);
  });
});
