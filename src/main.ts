import { createServer } from 'node:http';
import path from 'node:path';
import type { AdminDeps } from './admin/api.js';
import { OidcClient } from './admin/auth/oidc.js';
import { AdminSessions } from './admin/auth/sessions.js';
import { openIndex } from './admin/first-start.js';
import { LiveIndex, ReindexJobs } from './admin/jobs.js';
import { DocumentLibrary } from './admin/library.js';
import { scheduleRetention } from './admin/retention.js';
import { LexicalIndex } from './index/lexical/bm25.js';
import { SnapshotStore } from './index/snapshot-store.js';
import { createAssistant } from './answer/assistant.js';
import { createLlmComposer } from './answer/llm/llm-composer.js';
import { createApp } from './channels/app.js';
import { createLogger } from './channels/http/logger.js';
import { createMetrics } from './channels/http/metrics.js';
import { createZaloChannel, WEBHOOK_PATH } from './channels/zalo/webhook.js';
import { inWorker, joinCluster } from './cluster.js';
import { gracefulShutdown } from './channels/http/shutdown.js';
import { loadConfig } from './config.js';
import { EndpointReranker, RERANK_COOL_DOWN_MS } from './retrieve/rerank.js';
import { AppError, describeError } from './errors.js';
import { openStore } from './store/index.js';

/** Composition root: config, logger, store, index, answer layer, HTTP app. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  // Set before any index is loaded: each one decodes its common terms' postings when it loads.
  LexicalIndex.decodedBudget = Math.round(config.lexicalDecodedMb * 1024 * 1024);
  const store = await openStore(config.dataDir);
  // The snapshot in service; a re-index or rollback swaps it without a restart.
  const live = new LiveIndex();
  // A cross-encoder endpoint, when configured, re-orders the first results of every retrieval.
  const reranker = config.reranker
    ? new EndpointReranker(config.reranker, (reason) =>
        logger.warn(
          { reason },
          `re-ranking failed; answering in the retriever’s order for the next ${RERANK_COOL_DOWN_MS / 1000} s`,
        ),
      )
    : null;
  // Prompts are checked at start-up: a bad prompt file stops the server with its name.
  const writer = config.llm
    ? await createLlmComposer({ ...config.llm, promptsDir: path.resolve('prompts') })
    : undefined;
  const assistant = createAssistant({
    ...(writer ? { writer } : {}),
    retriever: live.current,
    store,
    handoffContact: config.handoffContact,
    cacheSize: config.retrievalCacheEntries,
    turnsPerBatch: config.turnsPerBatch,
    ...(config.answerThreshold !== undefined ? { threshold: config.answerThreshold } : {}),
    onAnswer: (a, q) => metrics.answers.inc({ channel: q.channel, outcome: a.outcome }),
    onLlmFallback: (step, err) => {
      const code = err instanceof AppError ? err.code : 'internal';
      metrics.llmFallbacks.inc({ step, code });
      logger.warn(
        { step, code, err: describeError(err) },
        'LLM step failed; answered from the passages instead',
      );
    },
  });
  const zalo = config.zalo
    ? createZaloChannel({
        config: config.zalo,
        assistant,
        store,
        logger,
        onEvent: (kind) => metrics.zaloEvents.inc({ kind }),
        ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
      })
    : undefined;
  const snapshots = new SnapshotStore(config.dataDir, config.snapshotsKeep);
  const library = new DocumentLibrary(config.dataDir, config.ocr);
  const jobs = new ReindexJobs({
    store: snapshots,
    library,
    live,
    setting: config.embedder,
    corpusDir: config.corpusDir,
    ocr: config.ocr,
    reranker,
  });
  // Officers sign in with their accounts (npm run accounts); ADMIN_TOKEN stays for automation.
  const sessions = new AdminSessions(store.accounts, config.adminSessions);
  const accountCount = await store.accounts.countAccounts();
  const admin: AdminDeps | undefined =
    config.adminToken || accountCount > 0 || config.oidc
      ? {
          ...(config.adminToken ? { token: config.adminToken } : {}),
          sessions,
          ...(config.oidc ? { oidc: new OidcClient(config.oidc) } : {}),
          ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}),
          library,
          jobs,
          live,
          snapshots,
          store,
          logger,
          maxUploadBytes: config.uploadMaxMb * 1024 * 1024,
        }
      : undefined;
  let draining = false;
  const app = createApp({
    draining: () => draining,
    ...(zalo ? { zalo } : {}),
    ...(admin ? { admin } : {}),
    retriever: live.current,
    assistant,
    store,
    logger,
    metrics,
    bot: config.bot,
    ratePerMinute: config.rateLimitPerMinute,
    frameAncestors: config.widgetAllowedOrigins,
    handoffContact: config.handoffContact,
  });
  // Zalo's events go straight to the webhook, ahead of Express: a burst must be acknowledged at once.
  const server = createServer((req, res) => {
    if (zalo && req.method === 'POST' && req.url === WEBHOOK_PATH) zalo.handle(req, res);
    else app(req, res);
  });
  const listen = () =>
    server.listen(config.port, config.host, () => {
      const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
      logger.info(`Trợ lý Công vụ listening on http://${host}:${config.port}`);
    });
  // One process listens at once and says "loading" until its index is in; a worker of several
  // listens once its index is in, so the others keep answering all requests while it loads.
  if (!inWorker()) listen();
  const stop = gracefulShutdown(server, {
    timeoutMs: 10_000,
    onClose: async () => {
      // Events already acknowledged to Zalo are answered before the database closes.
      await zalo?.idle();
      await store.close();
    },
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      draining = true;
      logger.info(`${signal}: finishing in-flight requests`);
      void stop().then(() => process.exit(0));
    });
  }
  const retriever = await openIndex(config, (line) => logger.info(line), snapshots, reranker);
  live.swap(retriever);
  // With several workers the re-index thread starts with the first job: one idle in each would cost memory.
  if (admin && !inWorker()) jobs.warm();
  if (inWorker()) {
    listen();
    const peers = joinCluster(jobs);
    // Another worker's re-index succeeded: serve its snapshot now rather than at the next look below.
    peers.onOtherJobDone(() => {
      jobs
        .follow()
        .catch((err: unknown) =>
          logger.error({ err: describeError(err) }, 'cannot load the snapshot another worker published'),
        );
    });
    peers.ready();
  }
  // `npm run reindex` / `npm run snapshots -- activate` from a shell move CURRENT: follow it.
  const follow = setInterval(() => {
    jobs.follow().then(
      (id) => id && logger.info({ snapshot: id }, 'serving the snapshot activated by another process'),
      (err: unknown) =>
        logger.error(
          { err: describeError(err) },
          'cannot load the activated snapshot; the previous one stays in service',
        ),
    );
  }, 5000);
  follow.unref();
  // Webhook event ids only need remembering past the replay window (events older than it are refused).
  const prune = () =>
    store.pruneEvents(48 * 3600_000).then(
      (n) => n > 0 && logger.info({ removed: n }, 'forgot old webhook event ids'),
      (err: unknown) => logger.error({ err: describeError(err) }, 'pruning webhook event ids failed'),
    );
  void prune();
  setInterval(() => void prune(), 3600_000).unref();
  setInterval(
    () =>
      void sessions
        .prune()
        .catch((err: unknown) => logger.error({ err: describeError(err) }, 'pruning admin sessions failed')),
    3600_000,
  ).unref();
  // Personal data older than RETENTION_DAYS goes at start and then daily; the gap report keeps counts.
  scheduleRetention({ store, days: config.retentionDays, logger });
  logger.info(
    `ready: snapshot ${retriever.snapshot.manifest.id}${admin ? '' : ' (admin API off: add an officer account with npm run accounts -- add <name> --role administrator, or set ADMIN_TOKEN)'}`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`start failed: ${describeError(err)}\n`);
  process.exit(1);
});
