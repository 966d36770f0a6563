/**
 * npm run eval:answers -- <dataset-dir> [--fold-queries] [--threshold 0.34] [--show declined|wrong|all]
 * Builds a fresh index from the dataset's corpus, asks every question through the production
 * answer layer (extractive mode, in-memory database) and prints answer-quality figures and one
 * final JSON line: declined rate, first-citation precision, field accuracy, latency.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createAssistant } from '../src/answer/assistant.js';
import { runAnswers, summarizeAnswers, type AnswerOutcome } from '../src/answer/evaluation.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { IndexSnapshot } from '../src/index/snapshot.js';
import { loadFile } from '../src/ingest/registry.js';
import { loadDataset } from '../src/retrieve/evaluation.js';
import { Retriever } from '../src/retrieve/retriever.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { fold } from '../src/text/index.js';
import { parseArgs } from './lib/args.js';
import { buildProgressBar } from './lib/progress.js';

const USAGE = 'usage: npm run eval:answers -- <dataset-dir> [--fold-queries] [--threshold <0..1>] [--show declined|wrong|all]';

async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const dir = positional[0];
  if (!dir) throw new Error(USAGE);
  const config = loadConfig();
  const dataset = await loadDataset(dir);
  const bar = buildProgressBar();
  const t0 = performance.now();
  const documents = await loadFile({ path: dataset.corpusFile, bytes: await readFile(dataset.corpusFile) });
  const snapshot = await IndexSnapshot.build(
    { sources: [{ path: dataset.corpusFile, fileHash: '', documentIds: documents.map((d) => d.meta.id) }], documents, parent: null },
    config.embedder,
    bar.onBuild,
  );
  bar.stop();
  const retriever = new Retriever(snapshot);
  const store = SqliteStore.open(':memory:');
  const threshold = typeof flags.get('threshold') === 'string' ? Number(flags.get('threshold')) : config.answerThreshold;
  const assistant = createAssistant({
    retriever: () => retriever,
    store,
    handoffContact: config.handoffContact,
    cacheSize: 0,
    ...(threshold !== undefined ? { threshold } : {}),
  });
  const foldQueries = flags.has('fold-queries');
  const outcomes = await runAnswers(assistant, dataset, { foldQueries });
  // "Were they right to decline?": would the first retrieved document have been a gold one?
  const topRight = new Map<string, boolean>();
  for (const o of outcomes.filter((x) => !x.answer.grounded)) {
    const { results } = await retriever.retrieve(foldQueries ? fold(o.query.text) : o.query.text, { k: 1, audience: 'internal' });
    topRight.set(o.query.id, dataset.qrels.get(o.query.id)!.has(results[0]?.doc.id ?? ''));
  }
  const rightIfAnswered = (o: AnswerOutcome) => topRight.get(o.query.id) === true;
  console.log(`\n${dataset.name}: ${snapshot.documents.length} documents, built in ${((performance.now() - t0) / 1000).toFixed(1)} s${foldQueries ? ', queries folded' : ''}`);
  const groups = [['all', outcomes] as const, ...bySource(outcomes)];
  for (const [label, list] of groups) {
    const m = summarizeAnswers(list, rightIfAnswered);
    console.log(
      `${label.padEnd(16)} n=${m.queries}  declined ${pct(m.declined_rate)} (${m.declined_but_right} of them had a right first result)  ` +
        `first citation gold ${pct(m.first_citation_precision)}  field quoted ${m.field_accuracy === null ? '—' : pct(m.field_accuracy)}`,
    );
  }
  show(String(flags.get('show') ?? ''), outcomes, dataset.qrels, rightIfAnswered);
  const overall = summarizeAnswers(outcomes, rightIfAnswered);
  await store.close();
  console.log(JSON.stringify({ dataset: dataset.name, fold_queries: foldQueries, threshold: threshold ?? 'default', ...overall }));
}

function bySource(outcomes: AnswerOutcome[]): (readonly [string, AnswerOutcome[]])[] {
  const sources = [...new Set(outcomes.map((o) => o.query.groups.source).filter((s): s is string => s !== undefined))];
  return sources.length < 2 ? [] : sources.map((s) => [`source=${s}`, outcomes.filter((o) => o.query.groups.source === s)] as const);
}

function show(which: string, outcomes: AnswerOutcome[], qrels: Map<string, Set<string>>, rightIfAnswered: (o: AnswerOutcome) => boolean): void {
  if (which === '') return;
  for (const o of outcomes) {
    const declined = !o.answer.grounded;
    if (which === 'declined' && !declined) continue;
    if (which === 'wrong' && (declined || o.correct)) continue;
    const first = o.answer.citations[0];
    const verdict = declined ? (rightIfAnswered(o) ? 'DECLINED (top was right)' : 'declined') : o.correct ? 'ok' : 'WRONG';
    console.log(
      `${verdict}\tconf=${o.answer.confidence.toFixed(2)}\t${o.query.text}\tgold=${[...qrels.get(o.query.id)!].join(',')}\tcited=${first?.sourceId ?? '-'}:${first?.field ?? '-'}`,
    );
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

main().catch((err: unknown) => {
  console.error(`eval:answers failed: ${describeError(err)}`);
  process.exit(1);
});
