import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import * as say from '../../answer/replies.js';
import type { AssistantStore } from '../../answer/store.js';
import type { Assistant } from '../../answer/types.js';
import { Lru } from '../../lib/lru.js';
import { createRateLimiter } from '../http/rate-limit.js';
import { ZaloClient } from './client.js';
import { renderZalo, splitMessage } from './render.js';
import { parseSignatureHeader, sameDigest, zaloSignature } from './signature.js';

/** Media a citizen may send that the assistant cannot read yet. */
const MEDIA_EVENTS = new Set([
  'user_send_image',
  'user_send_sticker',
  'user_send_file',
  'user_send_audio',
  'user_send_video',
  'user_send_gif',
  'user_send_location',
  'user_send_link',
  'user_send_business_card',
]);

export const ZALO_WELCOME = `${say.GREETING}\n\nVí dụ, bạn có thể hỏi:\n${say.EXAMPLE_QUESTIONS.map((q) => `- ${q}`).join('\n')}`;
export const ZALO_TEXT_ONLY =
  'Hiện tại Trợ lý Công vụ chỉ đọc được câu hỏi dạng chữ. Bạn vui lòng gõ câu hỏi, có dấu hoặc không dấu đều được.';
export const ZALO_SLOW_DOWN =
  'Bạn đang gửi tin nhắn quá nhanh. Vui lòng đợi khoảng một phút rồi gửi tiếp câu hỏi.';
export const ZALO_FAILED = 'Xin lỗi, đã có lỗi xảy ra khi trả lời. Bạn vui lòng gửi lại câu hỏi sau ít phút.';

/** Where Zalo posts events. */
export const WEBHOOK_PATH = '/webhooks/zalo';
/** Largest event body read. */
const MAX_BODY = 64 * 1024;

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** Answers wait until no event has arrived for this long… */
const QUIET_MS = 15;
/** …but at most this long. */
const MAX_DEFER_MS = 250;

/** The fields of a webhook event the assistant reads; Zalo sends more. */
const eventSchema = z
  .object({
    app_id: z.union([z.string(), z.number()]).transform(String),
    event_name: z.string().min(1),
    timestamp: z.union([z.string(), z.number()]).transform(String),
    sender: z
      .object({ id: z.union([z.string(), z.number()]).transform(String) })
      .partial()
      .optional(),
    recipient: z
      .object({ id: z.union([z.string(), z.number()]).transform(String) })
      .partial()
      .optional(),
    follower: z
      .object({ id: z.union([z.string(), z.number()]).transform(String) })
      .partial()
      .optional(),
    oa_id: z.union([z.string(), z.number()]).transform(String).optional(),
    message: z
      .object({
        msg_id: z.union([z.string(), z.number()]).transform(String).optional(),
        text: z.string().optional(),
      })
      .partial()
      .optional(),
  })
  .passthrough();

export type ZaloEvent = z.infer<typeof eventSchema>;

/** Zalo Official Account settings (DESIGN §6). */
export interface ZaloConfig {
  appId: string;
  /** App secret: the `secret_key` header of token refreshes. */
  appSecret?: string;
  /** OA secret key: signs webhook events (not the app secret). */
  oaSecretKey: string;
  /** Initial tokens; after the first refresh the database holds the current ones. */
  accessToken?: string;
  refreshToken?: string;
  apiBaseUrl: string;
  oauthBaseUrl: string;
  /** Events older (or newer) than this are rejected as replays. */
  replayWindowMs: number;
  /** Messages per minute one Zalo user may send before being asked to slow down. */
  userPerMinute: number;
}

/** What the Zalo channel needs. */
export interface ZaloChannelDeps {
  config: ZaloConfig;
  assistant: Assistant;
  store: AssistantStore;
  logger: Logger;
  /** Defaults to a client built from `config`. */
  client?: ZaloClient;
  now?: () => number;
  /** Public address of this server, for links to cited passages that have no portal page. */
  publicBaseUrl?: string;
  /** Called once per processed event with its outcome (metrics). */
  onEvent?: (kind: string) => void;
}

/** The webhook router plus hooks to wait for the work it does after acknowledging. */
export interface ZaloChannel {
  router: Router;
  /** The webhook on plain Node request/response, for a server that routes `POST /webhooks/zalo` before Express. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves when every accepted event has been processed. */
  idle(): Promise<void>;
}

/** Conversation id of one Zalo user of one OA (ids are scoped to the OA). */
export function zaloConversationId(oaId: string, userId: string): string {
  return `zl-${createHash('sha256').update(`${oaId}:${userId}`).digest('hex').slice(0, 32)}`;
}

/**
 * `POST /webhooks/zalo`: verifies the signature over the raw bytes, rejects replays, answers 200
 * at once and then processes the event: duplicates (Zalo retries) are dropped by `msg_id`,
 * remembered in the database; each user's messages are handled in order; answers go back through
 * the OA API. The router parses its own raw body, so mount it before `express.json()`.
 */
export function createZaloChannel(deps: ZaloChannelDeps): ZaloChannel {
  const { config, logger } = deps;
  const now = deps.now ?? Date.now;
  const client =
    deps.client ??
    new ZaloClient({
      appId: config.appId,
      ...(config.appSecret ? { appSecret: config.appSecret } : {}),
      apiBaseUrl: config.apiBaseUrl,
      oauthBaseUrl: config.oauthBaseUrl,
      initialTokens: {
        ...(config.accessToken ? { accessToken: config.accessToken } : {}),
        ...(config.refreshToken ? { refreshToken: config.refreshToken } : {}),
      },
      store: deps.store,
      logger,
    });
  const perUser = createRateLimiter({
    capacity: Math.max(3, Math.ceil(config.userPerMinute / 2)),
    refillPerSecond: config.userPerMinute / 60,
    now,
  });
  const warnedAt = new Lru<string, number>(10_000);
  const queues = new Map<string, Promise<void>>();
  // Deciding (de-duplication in the database, the answer itself) is work that would hold up the
  // acknowledgements of events arriving meanwhile (Zalo wants its 200 at once). So decisions run
  // one at a time, each starting only when no event has arrived for QUIET_MS — but never
  // postponed more than MAX_DEFER_MS, so a steady stream of events cannot starve them. Sending
  // is network I/O and runs outside the turn.
  let lastArrival = 0;
  let answering: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const run = answering.then(waitForQuiet).then(work);
    answering = run.catch(() => undefined);
    return run;
  };
  const waitForQuiet = async () => {
    const start = performance.now();
    do await new Promise<void>((r) => setTimeout(r, 1));
    while (performance.now() - lastArrival < QUIET_MS && performance.now() - start < MAX_DEFER_MS);
  };
  const pending = new Set<Promise<void>>();

  const reject = (res: ServerResponse, reason: string, message: string) => {
    logger.warn({ reason }, 'zalo webhook rejected');
    writeJson(res, 401, { error: 'unauthorized', message });
  };

  /**
   * The webhook itself on Node's request and response, so that the server can route Zalo's
   * events here before Express (a burst must be acknowledged at once); Express mounts the same
   * function. Reads at most 64 kB of body.
   */
  function handle(req: IncomingMessage, res: ServerResponse): void {
    lastArrival = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > MAX_BODY) {
        refused = true;
        writeJson(res, 413, { error: 'payload_too_large', message: 'request body too large' });
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => {
      if (!refused) writeJson(res, 400, { error: 'bad_request', message: 'malformed request body' });
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      const raw = Buffer.concat(chunks, size);
      const given = parseSignatureHeader(req.headers['x-zevent-signature']);
      if (!given) return reject(res, 'missing signature', 'missing or malformed X-ZEvent-Signature');
      let parsed: ZaloEvent;
      try {
        const result = eventSchema.safeParse(JSON.parse(raw.toString('utf8')));
        if (!result.success) return reject(res, 'unreadable event', 'invalid signature');
        parsed = result.data;
      } catch {
        return reject(res, 'body is not JSON', 'invalid signature');
      }
      if (
        parsed.app_id !== config.appId ||
        !sameDigest(zaloSignature(parsed.app_id, raw, parsed.timestamp, config.oaSecretKey), given)
      ) {
        return reject(res, 'wrong signature', 'invalid signature');
      }
      const at = Number(parsed.timestamp);
      if (!Number.isFinite(at) || Math.abs(now() - at) > config.replayWindowMs) {
        return reject(res, 'stale timestamp', 'event timestamp outside the accepted window');
      }
      writeJson(res, 200, { received: true });
      enqueue(parsed);
    });
  }

  const router = Router();
  router.post(WEBHOOK_PATH, (req: Request, res: Response) => handle(req, res));

  /** Runs the event after the previous ones of the same user. */
  function enqueue(event: ZaloEvent): void {
    const user = userOf(event) ?? '';
    const previous = queues.get(user) ?? Promise.resolve();
    const job = previous
      .then(() => process(event))
      .catch((err: unknown) => logger.error({ err, event: event.event_name }, 'zalo event failed'))
      .finally(() => {
        pending.delete(job);
        if (queues.get(user) === job) queues.delete(user);
      });
    queues.set(user, job);
    pending.add(job);
  }

  /** Decides what to send (in an answering turn: de-duplication and answers touch the database), then sends it. */
  async function process(event: ZaloEvent): Promise<void> {
    if (event.event_name.startsWith('oa_')) return; // echoes of what the OA itself sent
    const plan = await inTurn(() => decide(event));
    if (!plan) return;
    await send(plan.user, plan.parts);
    deps.onEvent?.(plan.kind);
  }

  async function decide(event: ZaloEvent): Promise<{ user: string; parts: string[]; kind: string } | null> {
    const name = event.event_name;
    const user = userOf(event);
    const eventId = event.message?.msg_id ?? `${name}:${user ?? ''}:${event.timestamp}`;
    if (!(await deps.store.markEventSeen('zalo', eventId))) {
      logger.debug({ eventId }, 'zalo duplicate event dropped');
      deps.onEvent?.('duplicate');
      return null;
    }
    if (!user || (name !== 'follow' && name !== 'user_send_text' && !MEDIA_EVENTS.has(name))) {
      deps.onEvent?.('ignored');
      return null;
    }
    if (name === 'follow') return { user, parts: splitMessage(ZALO_WELCOME), kind: 'follow' };
    if (MEDIA_EVENTS.has(name)) return { user, parts: [ZALO_TEXT_ONLY], kind: 'media' };
    if (!perUser.take(user).allowed) {
      // One notice a minute; the rest is dropped so that one user cannot starve the others.
      const last = warnedAt.get(user) ?? 0;
      if (now() - last > 60_000) {
        warnedAt.set(user, now());
        return { user, parts: [ZALO_SLOW_DOWN], kind: 'rate_limited' };
      }
      deps.onEvent?.('rate_limited');
      return null;
    }
    const oaId = event.recipient?.id ?? event.oa_id ?? config.appId;
    try {
      const answer = await deps.assistant.reply({
        message: event.message?.text ?? '',
        conversationId: zaloConversationId(oaId, user),
        channel: 'zalo',
        audience: 'public',
        userRef: user,
      });
      return {
        user,
        parts: renderZalo(answer, deps.publicBaseUrl ? { publicBaseUrl: deps.publicBaseUrl } : {}),
        kind: 'answered',
      };
    } catch (err) {
      logger.error({ err }, 'zalo answer failed');
      return { user, parts: [ZALO_FAILED], kind: 'answered' };
    }
  }

  async function send(user: string, parts: string[]): Promise<void> {
    for (const part of parts) {
      try {
        await client.sendText(user, part);
      } catch (err) {
        logger.error(
          { err: (err as Error).message, code: (err as { code?: number }).code },
          'zalo message not delivered, giving up',
        );
        return;
      }
    }
  }

  return {
    router,
    handle,
    idle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** The user an event is about: the sender of a message, the follower of a follow. */
function userOf(event: ZaloEvent): string | undefined {
  const e = event as ZaloEvent & { user_id_by_app?: unknown };
  return (
    event.sender?.id ??
    event.follower?.id ??
    (typeof e.user_id_by_app === 'string' ? e.user_id_by_app : undefined)
  );
}
