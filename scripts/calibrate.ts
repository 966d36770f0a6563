/**
 * npm run calibrate [-- <dataset-dir>…]   (default ../shared/datasets/tthc ../shared/datasets/alqac)
 * Refits the confidence model (src/answer/confidence.ts) from data: for every question of each
 * dataset, as typed and with its diacritics stripped, the production retrieval and the confidence
 * features, labelled by whether the first result is a gold document; plus the out-of-scope
 * questions of scripts/calibration/out-of-scope.txt, labelled wrong. Fits a logistic regression,
 * prints the model next to the current one with declined rate and first-result precision at a
 * range of thresholds on each dataset, and the model as code to paste. Changes no file.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONFIDENCE_MODEL, confidenceFeatures, confidenceOf, type ConfidenceFeatures } from '../src/answer/confidence.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { IndexSnapshot } from '../src/index/snapshot.js';
import { loadFile } from '../src/ingest/registry.js';
import { loadDataset } from '../src/retrieve/evaluation.js';
import { Retriever } from '../src/retrieve/retriever.js';
import { fold } from '../src/text/index.js';
import { parseArgs } from './lib/args.js';
import { buildProgressBar } from './lib/progress.js';
import { root } from './lib/server.js';

/** One question's features and label. */
interface Sample {
  set: string;
  f: ConfidenceFeatures;
  right: boolean;
}

const NAMES = ['bias', 'coverage', 'titleCoverage', 'bigramCoverage', 'margin', 'agree', 'fewWords', 'unknownWords'] as const;

function vector(s: Sample): number[] {
  const { f } = s;
  return [1, f.coverage, f.titleCoverage, f.bigramCoverage, f.margin, f.agree, f.words <= 2 ? 1 : 0, Math.min(2, f.unknown)];
}

/** Logistic regression by gradient descent with a little L2 (not on the bias). */
function fit(samples: Sample[], iterations = 20_000, rate = 0.5, l2 = 1e-3): number[] {
  const xs = samples.map(vector);
  const w = new Array<number>(NAMES.length).fill(0);
  for (let it = 0; it < iterations; it++) {
    const grad = new Array<number>(w.length).fill(0);
    xs.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, j) => s + v * w[j]!, 0)));
      const err = p - (samples[i]!.right ? 1 : 0);
      x.forEach((v, j) => (grad[j]! += err * v));
    });
    w.forEach((_, j) => (w[j]! -= rate * (grad[j]! / xs.length + (j === 0 ? 0 : l2 * w[j]!))));
  }
  return w;
}

const probability = (w: number[], s: Sample) => 1 / (1 + Math.exp(-vector(s).reduce((acc, v, j) => acc + v * w[j]!, 0)));

/** Declined share and precision of the answered ones, at a threshold. */
function report(samples: Sample[], score: (s: Sample) => number, t: number): { declined: number; precision: number } {
  const answered = samples.filter((s) => score(s) >= t);
  return {
    declined: 1 - answered.length / Math.max(1, samples.length),
    precision: answered.filter((s) => s.right).length / Math.max(1, answered.length),
  };
}

async function samplesOf(dir: string, setting: ReturnType<typeof loadConfig>['embedder'], outOfScope: string[]): Promise<Sample[]> {
  const dataset = await loadDataset(dir);
  const bar = buildProgressBar();
  const documents = await loadFile({ path: dataset.corpusFile, bytes: await readFile(dataset.corpusFile) });
  const snapshot = await IndexSnapshot.build(
    { sources: [{ path: dataset.corpusFile, fileHash: '', documentIds: documents.map((d) => d.meta.id) }], documents, parent: null },
    setting,
    bar.onBuild,
  );
  bar.stop();
  const retriever = new Retriever(snapshot);
  const out: Sample[] = [];
  const ask = async (set: string, text: string, right: (top: string | undefined) => boolean) => {
    const result = await retriever.retrieve(text, { k: 5, audience: 'internal' });
    const f = confidenceFeatures(text, result, snapshot.lexical);
    // Exact lookups and questions without a subject are decided by rule, not by the model.
    if (f.exact === 1 || f.words === 0) return;
    out.push({ set, f, right: right(result.results[0]?.doc.id) });
  };
  for (const q of dataset.queries) {
    const gold = dataset.qrels.get(q.id)!;
    await ask(dataset.name, q.text, (top) => top !== undefined && gold.has(top));
    await ask(`${dataset.name} folded`, fold(q.text), (top) => top !== undefined && gold.has(top));
  }
  for (const q of outOfScope) await ask(`out of scope (${dataset.name} index)`, q, () => false);
  return out;
}

async function main(): Promise<void> {
  const { positional } = parseArgs(process.argv.slice(2));
  const dirs = positional.length > 0 ? positional : ['../shared/datasets/tthc', '../shared/datasets/alqac'];
  const config = loadConfig();
  const outOfScope = (await readFile(path.join(root, 'scripts/calibration/out-of-scope.txt'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const samples: Sample[] = [];
  for (const dir of dirs) samples.push(...(await samplesOf(path.resolve(dir), config.embedder, outOfScope)));
  const w = fit(samples);
  const current = (s: Sample) => confidenceOf(s.f, CONFIDENCE_MODEL);
  const refit = (s: Sample) => probability(w, s);
  console.log(`\n${samples.length} questions; first result right for ${samples.filter((s) => s.right).length}`);
  console.log('threshold  set                                   current model: declined / precision   refit: declined / precision');
  const sets = [...new Set(samples.map((s) => s.set))];
  for (const t of [0.25, 0.3, 0.35, 0.4, 0.45, 0.5]) {
    for (const set of sets) {
      const of = samples.filter((s) => s.set === set);
      const a = report(of, current, t);
      const b = report(of, refit, t);
      const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
      console.log(`${t.toFixed(2).padEnd(10)} ${set.padEnd(37)} ${pct(a.declined)} / ${pct(a.precision)}               ${pct(b.declined)} / ${pct(b.precision)}`);
    }
  }
  console.log('\nrefit model:');
  console.log(`{ ${NAMES.map((n, j) => `${n}: ${w[j]!.toFixed(2)}`).join(', ')} }`);
}

main().catch((err: unknown) => {
  console.error(`calibrate failed: ${describeError(err)}`);
  process.exit(1);
});
