import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { AssistantStore } from '../answer/store.js';
import type { Assistant, CacheStats } from '../answer/types.js';
import { AppError, errorBody } from '../errors.js';
import type { Retriever } from '../retrieve/retriever.js';
import { botRouter, type BotCredentials } from './bot.js';
import { browserModulesRouter } from './browser-modules.js';
import { chatRouter } from './chat-api.js';
import { requestLogger } from './http/logger.js';
import { metricsMiddleware, registerCacheMetrics, registerGauge, type Metrics } from './http/metrics.js';
import { createRateLimiter, rateLimitByIp } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { searchRouter } from './search-api.js';
import { sourceRouter } from './source-page.js';
import { widgetCors, widgetRouter } from './widget/router.js';
import type { ZaloChannel } from './zalo/webhook.js';
import { adminRouter, tokenMatches, type AdminDeps } from '../admin/api.js';
import { adminPageRouter } from '../admin/page/router.js';

/** What the HTTP app needs; `retriever()` returns null until an index is loaded. */
export interface AppDeps {
  retriever: () => Retriever | null;
  assistant: Assistant;
  store: AssistantStore;
  logger: Logger;
  metrics: Metrics;
  bot?: BotCredentials;
  /** Requests per minute per client IP and messages per minute per conversation (default 60). */
  ratePerMinute?: number;
  /** Portal origins allowed to embed the web widget (frame-ancestors) and call the chat API (CORS). */
  frameAncestors?: string[];
  /** Shown by the widget's "Gặp cán bộ" action (default: the assistant's generic advice). */
  handoffContact?: string;
  /** The admin API, when ADMIN_TOKEN is set. */
  admin?: AdminDeps;
  /** The Zalo OA webhook, when configured. */
  zalo?: ZaloChannel;
  /** True once the process is shutting down: /readyz answers 503 so load balancers stop sending. */
  draining?: () => boolean;
}

const DEFAULT_HANDOFF = 'Bộ phận Một cửa (Trung tâm Phục vụ hành chính công) nơi bạn nộp hồ sơ';

/** Builds the Express app without listening, so tests drive it in-process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const perMinute = deps.ratePerMinute ?? 60;
  const limiter = () =>
    createRateLimiter({ capacity: Math.max(5, Math.ceil(perMinute / 4)), refillPerSecond: perMinute / 60 });
  const byIp = limiter();
  const byConversation = limiter();
  // Every bounded cache of the serving path, with its size and hit rate, on /metrics (the
  // snapshot's caches are those of the snapshot in service and start again after a re-index).
  const none = { hits: 0, misses: 0, entries: 0, capacity: 0 };
  const caches: [string, () => CacheStats][] = [
    ['retrieval_cache', () => deps.assistant.cacheStats?.().retrieval ?? none],
    ['syllable_cache', () => deps.assistant.cacheStats?.().syllables ?? none],
    ['procedure_name_cache', () => deps.retriever()?.cacheStats().procedureNames ?? none],
    ['lexical_term_cache', () => deps.retriever()?.cacheStats().lexicalTerms ?? none],
    ['rate_limit_ip_buckets', () => byIp.stats()],
    ['rate_limit_conversation_buckets', () => byConversation.stats()],
  ];
  for (const [name, stats] of caches) registerCacheMetrics(deps.metrics, name, stats);
  const decoded = () => deps.retriever()?.cacheStats().decodedPostings;
  registerGauge(
    deps.metrics,
    'lexical_decoded_postings_bytes',
    'Bytes of the most common terms’ postings kept decoded (a fixed budget, filled when the index loads)',
    () => decoded()?.bytes ?? 0,
  );
  registerGauge(
    deps.metrics,
    'chat_turns_waiting',
    'Chat turns waiting to start (TURNS_PER_BATCH start at a time, in arrival order)',
    () => deps.assistant.turnsWaiting?.() ?? 0,
  );
  registerGauge(
    deps.metrics,
    'lexical_decoded_terms',
    'Terms whose postings are kept decoded',
    () => decoded()?.terms ?? 0,
  );
  const rerank = () => deps.retriever()?.reranker?.stats();
  registerGauge(
    deps.metrics,
    'rerank_requests',
    'Questions sent to the re-ranking endpoint since start (RERANK_BASE_URL)',
    () => rerank()?.requests ?? 0,
  );
  registerGauge(
    deps.metrics,
    'rerank_failures',
    'Re-ranking requests that failed or timed out since start (answered in the retriever’s order)',
    () => rerank()?.failures ?? 0,
  );
  registerGauge(
    deps.metrics,
    'rerank_skipped',
    'Questions not sent to the re-ranking endpoint while it cooled down after a failure',
    () => rerank()?.skipped ?? 0,
  );

  // Zalo signs the raw bytes, so its router reads the body itself, before any JSON parsing. It
  // comes before the other middleware: a burst of events must be acknowledged at once, a machine
  // reads the answer, the channel logs what it refuses or fails to deliver, and counts what it
  // does in zalo_events_total.
  if (deps.zalo) app.use(deps.zalo.router);
  app.use(securityHeaders({ frameAncestors: deps.frameAncestors ?? [] }));
  app.use(requestLogger(deps.logger));
  app.use(metricsMiddleware(deps.metrics));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    if (deps.draining?.()) {
      res.status(503).json({
        status: 'draining',
        message: 'Máy chủ đang dừng để khởi động lại, vui lòng thử lại sau ít phút.',
      });
      return;
    }
    const r = deps.retriever();
    if (!r) {
      res.status(503).json({ status: 'loading', message: 'Đang nạp chỉ mục, vui lòng thử lại sau ít phút.' });
      return;
    }
    const m = r.snapshot.manifest;
    res.json({ status: 'ready', snapshot: m.id, documents: m.counts.documents, chunks: m.counts.chunks });
  });
  // Metrics are for the operator: a scraper on this machine (loopback, not through a proxy) or one
  // that presents the admin token.
  app.get('/metrics', async (req, res) => {
    const local =
      ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '') &&
      req.headers['x-forwarded-for'] === undefined;
    if (!local && !(deps.admin && tokenMatches(req.headers.authorization, deps.admin.token))) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json({
        error: 'unauthorized',
        message:
          'Số liệu vận hành chỉ dành cho quản trị viên (Authorization: Bearer <ADMIN_TOKEN>) hoặc máy chủ nội bộ.',
      });
      return;
    }
    deps.metrics.indexDocuments.set(deps.retriever()?.snapshot.documents.length ?? 0);
    res.set('Content-Type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // The web widget: loader, chat frame, demo page at "/", and CORS for portal origins.
  app.use(widgetCors(deps.frameAncestors ?? []));
  // The pages' browser ES modules (the widget's frame and the helpers shared with the admin page).
  app.use(browserModulesRouter());
  app.use(
    widgetRouter({
      allowedOrigins: deps.frameAncestors ?? [],
      handoffContact: deps.handoffContact ?? DEFAULT_HANDOFF,
    }),
  );
  app.use(sourceRouter(deps.retriever));

  // The Bot Framework adapter reads the parsed body itself and authenticates each activity.
  app.use(express.json({ limit: '64kb' }));
  if (deps.admin) app.use(adminRouter(deps.admin));
  if (deps.admin) app.use(adminPageRouter());
  app.use(botRouter(deps.assistant, deps.bot ?? {}, (msg, err) => deps.logger.error({ err }, msg)));
  app.use('/api', rateLimitByIp(byIp));
  app.use(searchRouter(deps.retriever));
  app.use(
    chatRouter({
      assistant: deps.assistant,
      store: deps.store,
      limitConversation: (id) => byConversation.take(`conv:${id}`).retryAfterS,
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'Không tìm thấy đường dẫn này.' });
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** Turns errors into JSON with a clear message; never leaks internals. */
function errorHandler(logger: Logger) {
  return (err: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    if (err instanceof AppError) {
      if (err.status >= 500) logger.error({ code: err.code, err }, 'request error');
      res.status(err.status).json(errorBody(err));
      return;
    }
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const code = type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
      res.status(status).json({
        error: code,
        message:
          code === 'payload_too_large'
            ? 'Nội dung gửi lên quá lớn.'
            : 'Nội dung yêu cầu không phải JSON hợp lệ.',
        detail: code === 'payload_too_large' ? 'request body too large' : 'malformed request body',
      });
      return;
    }
    logger.error({ err }, 'unexpected error');
    res.status(500).json({ error: 'internal', message: 'Đã có lỗi xảy ra, vui lòng thử lại.' });
  };
}
