/**
 * npm run eval -- <dataset-dir> [--fold-queries] [--mode hybrid|lexical|vector] [--embedder lsa|hashed|none] [--warmup N]
 * Builds a fresh index from the dataset's corpus with the production ingest and index code, runs
 * every query through the production retriever, prints a table and one final JSON line.
 *
 * Latency is a serving process's: before the timed pass the retriever answers `--warmup` questions
 * (default 1,000) generated from the corpus titles, as `npm run bench` makes them — none of the
 * evaluated queries — so the figures are not those of code the JIT has not compiled yet.
 * `--warmup 0` times the first, cold pass.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import type { EmbedderSetting } from '../src/index/embeddings/index.js';
import { IndexSnapshot } from '../src/index/snapshot.js';
import { loadFile } from '../src/ingest/registry.js';
import { readFile } from 'node:fs/promises';
import { breakdown, loadDataset, runQueries, summarize, type Metrics } from '../src/retrieve/evaluation.js';
import { DEFAULT_RETRIEVER, Retriever } from '../src/retrieve/retriever.js';
import { configuredReranker } from './lib/reranker.js';
import { parseArgs } from './lib/args.js';
import { distinctQuestions } from './lib/bench-mix.js';
import { buildProgressBar } from './lib/progress.js';

const USAGE =
  'usage: npm run eval -- <dataset-dir> [--fold-queries] [--mode hybrid|lexical|vector] [--embedder lsa|hashed|none] [--warmup N]';

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2), [
    'embedder',
    'mode',
    'fold-queries',
    'misses',
    'warmup',
  ]);
  const dir = positional[0];
  if (!dir) throw new Error(USAGE);
  const mode = String(flags.get('mode') ?? 'hybrid');
  if (!['hybrid', 'lexical', 'vector'].includes(mode)) throw new Error(USAGE);
  const warmup = Number(flags.get('warmup') ?? 1000);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup takes a whole number ≥ 0; ${USAGE}`);
  const config = loadConfig();
  const embedderFlag = flags.get('embedder');
  const setting: EmbedderSetting =
    mode === 'lexical'
      ? { kind: 'none' }
      : typeof embedderFlag === 'string'
        ? ({ kind: embedderFlag } as EmbedderSetting)
        : config.embedder;
  const dataset = await loadDataset(dir);
  const bar = buildProgressBar();
  const t0 = performance.now();
  const bytes = await readFile(dataset.corpusFile);
  const documents = await loadFile({ path: dataset.corpusFile, bytes });
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path: dataset.corpusFile, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    setting,
    bar.onBuild,
  );
  bar.stop();
  const buildS = (performance.now() - t0) / 1000;
  const fusion = { ...DEFAULT_RETRIEVER.fusion };
  if (mode === 'vector') fusion.lexicalWeight = 0;
  const retriever = new Retriever(snapshot, { ...DEFAULT_RETRIEVER, fusion }, configuredReranker(config));
  const titles = snapshot.documents.map((d) => d.title);
  for (const question of distinctQuestions(titles, [], warmup)) {
    await retriever.retrieve(question, { k: 10, audience: 'internal', excludeStatuses: [] });
  }
  const outcomes = await runQueries(retriever, dataset, { foldQueries: flags.has('fold-queries') });
  const overall = summarize(outcomes);
  const rows = [
    { label: 'all', metrics: overall },
    ...breakdown(outcomes).map((r) => ({ label: `${r.group}=${r.value}`, metrics: r.metrics })),
  ];
  console.log(
    `\n${dataset.name}: ${snapshot.documents.length} documents, ${snapshot.chunks.length} passages, built in ${buildS.toFixed(1)} s` +
      ` (embedder ${snapshot.manifest.embedder?.id ?? 'none'}, mode ${mode}${flags.has('fold-queries') ? ', queries folded' : ''})`,
  );
  console.log(table(rows));
  if (flags.has('misses')) {
    for (const o of outcomes.filter((x) => x.rank !== 1)) {
      console.log(
        `${o.rank ?? '-'}\t${o.query.id}\t${o.query.text}\tgold=${[...dataset.qrels.get(o.query.id)!].join(',')}\ttop=${o.top.slice(0, 3).join(' | ')}`,
      );
    }
  }
  console.log(
    JSON.stringify({
      dataset: dataset.name,
      mode,
      fold_queries: flags.has('fold-queries'),
      build_s: Math.round(buildS * 10) / 10,
      warmup_questions: warmup,
      rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
      ...overall,
    }),
  );
}

function table(rows: { label: string; metrics: Metrics }[]): string {
  const head = ['', 'queries', 'R@1', 'R@5', 'R@10', 'MRR@10', 'p50 ms', 'p95 ms'];
  const lines = rows.map(({ label, metrics: m }) => [
    label,
    String(m.queries),
    m['recall@1'].toFixed(3),
    m['recall@5'].toFixed(3),
    m['recall@10'].toFixed(3),
    m['mrr@10'].toFixed(3),
    m.p50_ms.toFixed(2),
    m.p95_ms.toFixed(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

main().catch((err: unknown) => {
  console.error(`eval failed: ${describeError(err)}`);
  process.exit(1);
});
