import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AppError } from '../errors.js';
import { fold } from '../text/index.js';
import type { Retriever } from './retriever.js';

/** One evaluation question. */
export interface EvalQuery {
  id: string;
  text: string;
  /** Attributes to break figures down by (e.g. source, field), when the dataset has them. */
  groups: Record<string, string>;
}

/** A dataset folder in the layout of DESIGN §3. */
export interface EvalDataset {
  name: string;
  corpusFile: string;
  queries: EvalQuery[];
  /** Query id → gold document ids. */
  qrels: Map<string, Set<string>>;
}

/** Retrieval figures over a set of queries. */
export interface Metrics {
  queries: number;
  'recall@1': number;
  'recall@5': number;
  'recall@10': number;
  'mrr@10': number;
  p50_ms: number;
  p95_ms: number;
}

/** Per-query outcome, kept for error analysis. */
export interface QueryOutcome {
  query: EvalQuery;
  /** 1-based rank of the first gold document in the top 10, or null. */
  rank: number | null;
  ms: number;
  top: string[];
}

const GROUP_KEYS = ['source', 'field', 'question_type', 'origin'] as const;

/** Objects of a JSON Lines file; a line that is not JSON is an AppError naming the file and line. */
export async function readJsonObjects(file: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch (err) {
      throw new AppError('json_malformed', `${file}: line ${i + 1} is not valid JSON`, { cause: err });
    }
  });
}

/** Reads queries, qrels and locates the corpus (corpus.jsonl or procedures.jsonl) of a dataset folder. */
export async function loadDataset(dir: string): Promise<EvalDataset> {
  const corpusFile = ['procedures.jsonl', 'corpus.jsonl']
    .map((f) => path.join(dir, f))
    .find((f) => existsSync(f));
  if (!corpusFile) throw new AppError('not_found', `${dir}: no corpus.jsonl or procedures.jsonl`);
  const queries = (await readJsonObjects(path.join(dir, 'queries.jsonl'))).map((q) => {
    const groups: Record<string, string> = {};
    for (const key of GROUP_KEYS) if (typeof q[key] === 'string') groups[key] = q[key] as string;
    return { id: String(q._id), text: String(q.text), groups };
  });
  const qrels = new Map<string, Set<string>>();
  for (const r of await readJsonObjects(path.join(dir, 'qrels.jsonl'))) {
    if (Number(r.score ?? 1) <= 0) continue;
    const id = String(r['query-id']);
    let set = qrels.get(id);
    if (!set) qrels.set(id, (set = new Set()));
    set.add(String(r['corpus-id']));
  }
  return {
    name: path.basename(path.resolve(dir)),
    corpusFile,
    queries: queries.filter((q) => qrels.has(q.id)),
    qrels,
  };
}

/** Runs every query through the retriever and records the rank of the first gold document. */
export async function runQueries(
  retriever: Retriever,
  dataset: EvalDataset,
  options: { foldQueries?: boolean; k?: number } = {},
): Promise<QueryOutcome[]> {
  const k = options.k ?? 10;
  const out: QueryOutcome[] = [];
  for (const query of dataset.queries) {
    const text = options.foldQueries ? fold(query.text) : query.text;
    const t0 = performance.now();
    const { results } = await retriever.retrieve(text, { k, audience: 'internal', excludeStatuses: [] });
    const ms = performance.now() - t0;
    const gold = dataset.qrels.get(query.id)!;
    const top = results.map((r) => r.doc.id);
    const at = top.findIndex((id) => gold.has(id));
    out.push({ query, rank: at >= 0 ? at + 1 : null, ms, top });
  }
  return out;
}

/** Recall@k, MRR@10 and latency percentiles of a set of outcomes. */
export function summarize(outcomes: readonly QueryOutcome[]): Metrics {
  const n = outcomes.length || 1;
  const recall = (k: number) => outcomes.filter((o) => o.rank !== null && o.rank <= k).length / n;
  const mrr = outcomes.reduce((s, o) => s + (o.rank !== null && o.rank <= 10 ? 1 / o.rank : 0), 0) / n;
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
  return {
    queries: outcomes.length,
    'recall@1': round(recall(1)),
    'recall@5': round(recall(5)),
    'recall@10': round(recall(10)),
    'mrr@10': round(mrr),
    p50_ms: round(pct(0.5), 2),
    p95_ms: round(pct(0.95), 2),
  };
}

/** Metrics per value of each group attribute present in the queries. */
export function breakdown(
  outcomes: readonly QueryOutcome[],
): { group: string; value: string; metrics: Metrics }[] {
  const rows: { group: string; value: string; metrics: Metrics }[] = [];
  for (const key of GROUP_KEYS) {
    const values = [
      ...new Set(outcomes.map((o) => o.query.groups[key]).filter((v) => v !== undefined)),
    ].sort();
    if (values.length < 2 || values.length > 20) continue;
    for (const value of values) {
      rows.push({
        group: key,
        value,
        metrics: summarize(outcomes.filter((o) => o.query.groups[key] === value)),
      });
    }
  }
  return rows;
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
