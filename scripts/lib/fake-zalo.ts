/**
 * A stand-in for Zalo's OA API and OAuth server on loopback, for tests and `npm run bench:zalo`.
 * It records the customer-service messages it is sent, checks the access token, rotates tokens on
 * refresh (an old refresh token is refused, as Zalo does), and can be told to answer `-216`,
 * HTTP 5xx or slowly.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message the fake API accepted. */
export interface SentMessage {
  userId: string;
  text: string;
  accessToken: string;
}

/** Behaviour switches; change them between steps of a test. */
export interface FakeZaloBehaviour {
  /** Answer the next N send calls with HTTP 500. */
  failNextSends: number;
  /** Delay every send by this many milliseconds. */
  sendDelayMs: number;
  /** Delay every refresh by this many milliseconds (to make concurrent refreshes overlap). */
  refreshDelayMs: number;
}

export interface FakeZalo {
  /** Base URL for both ZALO_API_BASE_URL and ZALO_OAUTH_BASE_URL. */
  url: string;
  sent: SentMessage[];
  /** Every send attempt, including refused ones. */
  sendAttempts: number;
  /** Refresh requests, and the refresh tokens and secret keys they carried. */
  refreshes: { refreshToken: string; secretKey: string; appId: string }[];
  behaviour: FakeZaloBehaviour;
  /** The token the API accepts now; anything else gets -216. */
  validAccessToken: string;
  /** The only refresh token the OAuth server accepts now. */
  validRefreshToken: string;
  /** Makes the current access token expire, as after 25 hours. */
  expireAccessToken(): void;
  /** Resolves once `n` messages have been recorded (or rejects after `timeoutMs`). */
  waitForMessages(n: number, timeoutMs?: number): Promise<SentMessage[]>;
  close(): Promise<void>;
}

export interface FakeZaloOptions {
  accessToken?: string;
  refreshToken?: string;
  appSecret?: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  let generation = 0;
  const waiters: { n: number; resolve: (m: SentMessage[]) => void }[] = [];
  const fake: Omit<FakeZalo, 'url' | 'close'> = {
    sent: [],
    sendAttempts: 0,
    refreshes: [],
    behaviour: { failNextSends: 0, sendDelayMs: 0, refreshDelayMs: 0 },
    validAccessToken: options.accessToken ?? 'access-0',
    validRefreshToken: options.refreshToken ?? 'refresh-0',
    expireAccessToken() {
      fake.validAccessToken = `expired-${generation}-${Math.random()}`;
    },
    waitForMessages(n, timeoutMs = 20_000) {
      if (fake.sent.length >= n) return Promise.resolve(fake.sent.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`fake Zalo got ${fake.sent.length} of ${n} messages`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.method === 'POST' && req.url === '/v3.0/oa/message/cs') {
        fake.sendAttempts++;
        if (fake.behaviour.sendDelayMs > 0) await sleep(fake.behaviour.sendDelayMs);
        if (fake.behaviour.failNextSends > 0) {
          fake.behaviour.failNextSends--;
          return json(res, 500, { error: -32, message: 'internal error' });
        }
        const token = String(req.headers['access_token'] ?? '');
        if (token !== fake.validAccessToken)
          return json(res, 200, { error: -216, message: 'Access token is invalid' });
        const payload = JSON.parse(body) as { recipient?: { user_id?: string }; message?: { text?: string } };
        const userId = payload.recipient?.user_id;
        const text = payload.message?.text;
        if (!userId || typeof text !== 'string')
          return json(res, 200, { error: -201, message: 'Parameters are invalid' });
        if ([...text].length > 2000)
          return json(res, 200, { error: -201, message: 'Text is longer than 2000 characters' });
        fake.sent.push({ userId, text, accessToken: token });
        for (const w of waiters.filter((x) => fake.sent.length >= x.n)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(fake.sent.slice());
        }
        return json(res, 200, {
          error: 0,
          message: 'Success',
          data: { message_id: `m${fake.sent.length}`, user_id: userId },
        });
      }
      if (req.method === 'POST' && req.url === '/v4/oa/access_token') {
        const form = new URLSearchParams(body);
        const entry = {
          refreshToken: form.get('refresh_token') ?? '',
          secretKey: String(req.headers['secret_key'] ?? ''),
          appId: form.get('app_id') ?? '',
        };
        fake.refreshes.push(entry);
        if (fake.behaviour.refreshDelayMs > 0) await sleep(fake.behaviour.refreshDelayMs);
        if (options.appSecret !== undefined && entry.secretKey !== options.appSecret) {
          return json(res, 200, {
            error: -14014,
            error_name: 'Invalid secret key',
            error_description: 'secret_key is invalid',
          });
        }
        if (form.get('grant_type') !== 'refresh_token' || entry.refreshToken !== fake.validRefreshToken) {
          return json(res, 200, {
            error: -14020,
            error_name: 'Invalid refresh token',
            error_description: 'Refresh token is invalid',
          });
        }
        generation++;
        fake.validAccessToken = `access-${generation}`;
        fake.validRefreshToken = `refresh-${generation}`;
        return json(res, 200, {
          access_token: fake.validAccessToken,
          refresh_token: fake.validRefreshToken,
          expires_in: '90000',
        });
      }
      json(res, 404, { error: -404, message: 'not found' });
    })().catch((err: unknown) => json(res, 500, { error: -1, message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeZalo;
}

/** The OA id the fake events are addressed to. */
export const FAKE_OA_ID = '388613280878808645';

/** A webhook event shaped like Zalo's (`timestamp` in milliseconds, as a string). */
export function zaloEvent(
  eventName: string,
  appId: string,
  userId: string,
  extra: { text?: string; msgId?: string; timestamp?: number } = {},
): Record<string, unknown> {
  const timestamp = String(extra.timestamp ?? Date.now());
  if (eventName === 'follow' || eventName === 'unfollow') {
    return {
      oa_id: FAKE_OA_ID,
      follower: { id: userId },
      user_id_by_app: `app-${userId}`,
      event_name: eventName,
      source: 'oa_profile',
      app_id: appId,
      timestamp,
    };
  }
  const message: Record<string, unknown> = {
    msg_id: extra.msgId ?? `msg-${Math.random().toString(16).slice(2)}`,
  };
  if (extra.text !== undefined) message.text = extra.text;
  if (eventName.startsWith('oa_')) {
    return {
      app_id: appId,
      sender: { id: FAKE_OA_ID },
      recipient: { id: userId },
      event_name: eventName,
      message,
      timestamp,
    };
  }
  if (eventName === 'user_send_image')
    message.attachments = [{ type: 'image', payload: { url: 'https://example.invalid/a.jpg' } }];
  return {
    app_id: appId,
    sender: { id: userId },
    user_id_by_app: `app-${userId}`,
    recipient: { id: FAKE_OA_ID },
    event_name: eventName,
    message,
    timestamp,
  };
}

/** The body and headers Zalo would POST for an event, signed with the OA secret key (DESIGN §6). */
export function signZaloEvent(
  event: Record<string, unknown>,
  oaSecretKey: string,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const mac = createHash('sha256')
    .update(String(event.app_id) + body + String(event.timestamp) + oaSecretKey)
    .digest('hex');
  return { body, headers: { 'Content-Type': 'application/json', 'X-ZEvent-Signature': `mac=${mac}` } };
}
