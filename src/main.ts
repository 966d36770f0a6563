import path from 'node:path';
import { openIndex } from './admin/first-start.js';
import { createAssistant } from './answer/assistant.js';
import { createLlmComposer } from './answer/llm/llm-composer.js';
import { createApp } from './channels/app.js';
import { createLogger } from './channels/http/logger.js';
import { createMetrics } from './channels/http/metrics.js';
import { createZaloChannel } from './channels/zalo/webhook.js';
import { gracefulShutdown } from './channels/http/shutdown.js';
import { loadConfig } from './config.js';
import { describeError } from './errors.js';
import type { Retriever } from './retrieve/retriever.js';
import { openStore } from './store/index.js';

/** Composition root: config, logger, store, index, answer layer, HTTP app. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const metrics = createMetrics();
  const store = await openStore(config.dataDir);
  let retriever: Retriever | null = null;
  // Prompts are checked at start-up: a bad prompt file stops the server with its name.
  const writer = config.llm ? await createLlmComposer({ ...config.llm, promptsDir: path.resolve('prompts') }) : undefined;
  const assistant = createAssistant({
    ...(writer ? { writer } : {}),
    retriever: () => retriever,
    store,
    handoffContact: config.handoffContact,
    ...(config.answerThreshold !== undefined ? { threshold: config.answerThreshold } : {}),
    onAnswer: (a, q) => metrics.answers.inc({ channel: q.channel, outcome: a.outcome }),
  });
  const zalo = config.zalo ? createZaloChannel({ config: config.zalo, assistant, store, logger, ...(config.publicBaseUrl ? { publicBaseUrl: config.publicBaseUrl } : {}) }) : undefined;
  const app = createApp({
    ...(zalo ? { zalo } : {}),
    retriever: () => retriever,
    assistant,
    store,
    logger,
    metrics,
    bot: config.bot,
    ratePerMinute: config.rateLimitPerMinute,
    frameAncestors: config.widgetAllowedOrigins,
    handoffContact: config.handoffContact,
  });
  const server = app.listen(config.port, config.host, () => {
    const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
    logger.info(`Trợ lý Công vụ listening on http://${host}:${config.port}`);
  });
  const stop = gracefulShutdown(server, { timeoutMs: 10_000, onClose: async () => {
      // Events already acknowledged to Zalo are answered before the database closes.
      await zalo?.idle();
      await store.close();
    },
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info(`${signal}: finishing in-flight requests`);
      void stop().then(() => process.exit(0));
    });
  }
  retriever = await openIndex(config, (line) => logger.info(line));
  logger.info(`ready: snapshot ${retriever.snapshot.manifest.id}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`start failed: ${describeError(err)}\n`);
  process.exit(1);
});
