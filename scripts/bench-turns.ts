/**
 * npm run bench:turns [-- --corpus <procedures.jsonl or corpus.jsonl>] [--limit 3000]
 * The cost of one chat turn in one process, without HTTP: builds (or reads from data/eval-cache)
 * the index of a corpus file, then answers the first `limit` distinct questions of the bench mix
 * (shared question files + names × field phrases, as `npm run bench`) through the production
 * answer layer with the retrieval cache off and an in-memory SQLite store, each question a new
 * conversation. Prints the mean, p50, p95 and p99 per turn and the slowest questions. Run it
 * before and after a change, interleaved, on a quiet machine: runs differ by about 10 %.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAssistant } from '../src/answer/assistant.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { Retriever } from '../src/retrieve/retriever.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { parseArgs } from './lib/args.js';
import { distinctQuestions, SHARED_QUESTION_FILES, sharedQuestions } from './lib/bench-mix.js';
import { datasetSnapshot } from './lib/dataset-index.js';
import { percentile, root } from './lib/server.js';

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), ['corpus', 'limit']);
  const corpus = path.resolve(
    String(flags.get('corpus') ?? path.join(root, '..', 'shared', 'datasets', 'tthc', 'procedures.jsonl')),
  );
  const limit = Number(flags.get('limit') ?? 3000);
  const { snapshot } = await datasetSnapshot(corpus, loadConfig().embedder);
  const retriever = new Retriever(snapshot);
  const shared = await sharedQuestions(
    SHARED_QUESTION_FILES.map((f) => path.join(root, '..', 'shared', 'datasets', f)),
  );
  const questions = distinctQuestions(
    snapshot.documents.map((d) => d.title),
    shared,
    limit,
  );
  const store = SqliteStore.open(':memory:');
  const assistant = createAssistant({ retriever: () => retriever, store, handoffContact: '-', cacheSize: 0 });
  const times: [number, string][] = [];
  const t0 = performance.now();
  for (const message of questions) {
    const t = performance.now();
    await assistant.reply({ message, channel: 'api', audience: 'public' });
    times.push([performance.now() - t, message]);
  }
  const total = performance.now() - t0;
  await store.close();
  const sorted = times.map(([t]) => t).sort((a, b) => a - b);
  console.log(
    `${questions.length} distinct questions on ${path.basename(corpus)} (${snapshot.documents.length} documents)`,
  );
  console.log('slowest:');
  for (const [t, q] of [...times].sort((a, b) => b[0] - a[0]).slice(0, 5))
    console.log(`  ${t.toFixed(1)} ms  ${q.slice(0, 100)}`);
  const summary = {
    questions: questions.length,
    mean_ms: Math.round((total / questions.length) * 100) / 100,
    p50_ms: percentile(sorted, 0.5),
    p95_ms: percentile(sorted, 0.95),
    p99_ms: percentile(sorted, 0.99),
  };
  console.log(
    `per turn: mean ${summary.mean_ms} ms · p50 ${summary.p50_ms} ms · p95 ${summary.p95_ms} ms · p99 ${summary.p99_ms} ms`,
  );
  console.log(JSON.stringify(summary));
}

main().catch((err: unknown) => {
  console.error(`bench:turns failed: ${describeError(err)}`);
  process.exit(1);
});
