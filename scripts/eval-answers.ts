/**
 * npm run eval:answers -- <dataset-dir> [--fold-queries] [--threshold 0.34] [--show declined|wrong|all] [--split train|check|all] [--typed all|<variant,…>] [--frames <file>]
 * Builds the index of the dataset's corpus (cached under data/eval-cache), asks every question
 * through the production answer layer (extractive mode, in-memory database) and prints
 * answer-quality figures and one final JSON line.
 * - A folder of labelled answer sets (questions-*.jsonl, dialogues-*.jsonl, corpus in ../tthc):
 *   per file and source, cited / facts quoted / declined / gold among the offered options, near
 *   misses declined, and the follow-up, topic-switch and decline turns of conversations, judged
 *   by the rules of the shared scorers. With --typed, the single questions asked as people also
 *   type them (framed as a letter, after "cho em hỏi", i for y, typos…; scripts/lib/typed.ts);
 *   with --frames <file>, inside each frame of a file (evaluation/frames/), and the frames' mean.
 * - A retrieval dataset (queries.jsonl + qrels.jsonl): declined rate, first-citation precision,
 *   field accuracy, latency.
 * - A folder of labelled messages (messages-*.jsonl: text, kind): per kind, the share the message
 *   model reads as that kind, and the questions it would answer as small talk (no index needed).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  figures,
  playDialogues,
  playQuestions,
  readDialogues,
  readQuestions,
  type JudgedMessage,
} from '../src/answer/answer-sets.js';
import { createAssistant } from '../src/answer/assistant.js';
import { bundledModels, MESSAGE_KINDS } from '../src/answer/learn/models.js';
import { runAnswers, summarizeAnswers, type AnswerOutcome } from '../src/answer/evaluation.js';
import { loadConfig, type Config } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { IndexSnapshot } from '../src/index/snapshot.js';
import { loadFile } from '../src/ingest/registry.js';
import { loadDataset, readJsonObjects } from '../src/retrieve/evaluation.js';
import { DEFAULT_RETRIEVER, Retriever } from '../src/retrieve/retriever.js';
import { configuredReranker } from './lib/reranker.js';
import { framesOf, typedVariants, TYPED_VARIANTS } from './lib/typed.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { fold } from '../src/text/index.js';
import { parseArgs } from './lib/args.js';
import { datasetSnapshot } from './lib/dataset-index.js';
import { buildProgressBar } from './lib/progress.js';

const USAGE =
  'usage: npm run eval:answers -- <dataset-dir> [--fold-queries] [--threshold <0..1>] [--show declined|wrong|all] [--split train|check|all] [--corpus <procedures.jsonl>] [--rebuild] [--typed all|<variant,…>] [--frames <file>]';

/** The production answer layer over a fresh in-memory store, retrieval cache off, `--threshold` if given. */
function evalAssistant(retriever: Retriever, config: Config, flags: Map<string, string | true>) {
  const threshold =
    typeof flags.get('threshold') === 'string' ? Number(flags.get('threshold')) : config.answerThreshold;
  const store = SqliteStore.open(':memory:');
  const assistant = createAssistant({
    retriever: () => retriever,
    store,
    handoffContact: config.handoffContact,
    cacheSize: 0,
    ...(threshold !== undefined ? { threshold } : {}),
  });
  return { assistant, store, threshold };
}
async function main(): Promise<void> {
  const { positional, flags } = parseArgs(process.argv.slice(2), [
    'corpus',
    'show',
    'split',
    'threshold',
    'fold-queries',
    'rebuild',
    'typed',
    'frames',
  ]);
  const dir = positional[0];
  if (!dir) throw new Error(USAGE);
  if ((await readdir(dir)).some((f) => /^messages-.*\.jsonl$/u.test(f))) return evalMessages(dir);
  const config = loadConfig();
  if ((await readdir(dir)).some((f) => /^(questions|dialogues)-.*\.jsonl$/u.test(f)))
    return evalAnswerSets(dir, flags, config);
  const dataset = await loadDataset(dir);
  const bar = buildProgressBar();
  const t0 = performance.now();
  const documents = await loadFile({ path: dataset.corpusFile, bytes: await readFile(dataset.corpusFile) });
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path: dataset.corpusFile, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    config.embedder,
    bar.onBuild,
  );
  bar.stop();
  const retriever = new Retriever(snapshot, DEFAULT_RETRIEVER, configuredReranker(config));
  const { assistant, store, threshold } = evalAssistant(retriever, config, flags);
  const foldQueries = flags.has('fold-queries');
  const outcomes = await runAnswers(assistant, dataset, { foldQueries });
  // "Were they right to decline?": would the first retrieved document have been a gold one?
  const topRight = new Map<string, boolean>();
  for (const o of outcomes.filter((x) => !x.answer.grounded)) {
    const { results } = await retriever.retrieve(foldQueries ? fold(o.query.text) : o.query.text, {
      k: 1,
      audience: 'internal',
    });
    topRight.set(o.query.id, dataset.qrels.get(o.query.id)!.has(results[0]?.doc.id ?? ''));
  }
  const rightIfAnswered = (o: AnswerOutcome) => topRight.get(o.query.id) === true;
  console.log(
    `\n${dataset.name}: ${snapshot.documents.length} documents, built in ${((performance.now() - t0) / 1000).toFixed(1)} s${foldQueries ? ', queries folded' : ''}`,
  );
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
  console.log(
    JSON.stringify({
      dataset: dataset.name,
      fold_queries: foldQueries,
      threshold: threshold ?? 'default',
      ...overall,
    }),
  );
}

function bySource(outcomes: AnswerOutcome[]): (readonly [string, AnswerOutcome[]])[] {
  const sources = [
    ...new Set(outcomes.map((o) => o.query.groups.source).filter((s): s is string => s !== undefined)),
  ];
  return sources.length < 2
    ? []
    : sources.map((s) => [`source=${s}`, outcomes.filter((o) => o.query.groups.source === s)] as const);
}

function show(
  which: string,
  outcomes: AnswerOutcome[],
  qrels: Map<string, Set<string>>,
  rightIfAnswered: (o: AnswerOutcome) => boolean,
): void {
  if (which === '') return;
  for (const o of outcomes) {
    const declined = !o.answer.grounded;
    if (which === 'declined' && !declined) continue;
    if (which === 'wrong' && (declined || o.correct)) continue;
    const first = o.answer.citations[0];
    const verdict = declined
      ? rightIfAnswered(o)
        ? 'DECLINED (top was right)'
        : 'declined'
      : o.correct
        ? 'ok'
        : 'WRONG';
    console.log(
      `${verdict}\tconf=${o.answer.confidence.toFixed(2)}\t${o.query.text}\tgold=${[...qrels.get(o.query.id)!].join(',')}\tcited=${first?.sourceId ?? '-'}:${first?.field ?? '-'}`,
    );
  }
}

/** Plays every answer-set file of a folder (both splits unless --split) and prints the scorer's figures per file and group. */
async function evalAnswerSets(
  dir: string,
  flags: Map<string, string | true>,
  config: ReturnType<typeof loadConfig>,
): Promise<void> {
  const corpus =
    typeof flags.get('corpus') === 'string'
      ? String(flags.get('corpus'))
      : path.join(dir, '..', 'tthc', 'procedures.jsonl');
  const split = String(flags.get('split') ?? 'all');
  const t0 = performance.now();
  const { snapshot, built } = await datasetSnapshot(corpus, config.embedder, flags.has('rebuild'));
  console.log(
    `${path.basename(corpus)}: ${snapshot.documents.length} documents, ${built ? 'built' : 'read from cache'} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const retriever = new Retriever(snapshot, DEFAULT_RETRIEVER, configuredReranker(config));
  const files = (await readdir(dir))
    .filter(
      (f) => /^(questions|dialogues)-.*\.jsonl$/u.test(f) && (split === 'all' || f.includes(`-${split}`)),
    )
    .sort();
  const summary: Record<string, unknown> = {};
  const foldQueries = flags.has('fold-queries');
  if (flags.has('typed') || flags.has('frames')) {
    await evalTyped(retriever, config, flags, dir, files, summary);
    return;
  }
  for (const file of files) {
    const { assistant, store } = evalAssistant(retriever, config, flags);
    const full = path.join(dir, file);
    const judged = file.startsWith('questions')
      ? await playQuestions(assistant, await readQuestions(full), foldQueries ? fold : undefined)
      : await playDialogues(assistant, await readDialogues(full));
    await store.close();
    const name = file.replace(/\.jsonl$/u, '');
    console.log(`\n${name}`);
    for (const [group, f] of figures(judged)) {
      const offered = judged.filter((j) => j.group === group && j.answerable && j.declined);
      const among = offered.filter((j) =>
        j.answer.alternatives.some((a) => j.gold.includes(a.sourceId)),
      ).length;
      console.log(
        `  ${group.padEnd(14)} n=${String(f.n).padStart(3)}  ` +
          (f.cited === null
            ? `declined ${pct(f.declined)}`
            : `cited ${pct(f.cited)}  facts ${f.facts === null ? '—' : pct(f.facts)}  declined ${pct(f.declined)}  gold among options ${among}/${offered.length}`),
      );
      summary[`${name}.${group}`] = f;
    }
    showJudged(String(flags.get('show') ?? ''), judged);
  }
  console.log(
    JSON.stringify({ dataset: path.basename(path.resolve(dir)), fold_queries: foldQueries, ...summary }),
  );
}

/**
 * The single questions of each file asked as people also type them (scripts/lib/typed.ts): per
 * variant and source, cited and declined, against the questions as written. Conversations are
 * left out (a frame belongs to the first message of one).
 */
async function evalTyped(
  retriever: Retriever,
  config: Config,
  flags: Map<string, string | true>,
  dir: string,
  files: readonly string[],
  summary: Record<string, unknown>,
): Promise<void> {
  const typed = flags.get('typed');
  const framesFile = flags.get('frames');
  const frames =
    typeof framesFile === 'string' ? framesOf(await readFile(framesFile, 'utf8'), framesFile) : [];
  const variants = [
    ...(typeof typed === 'string'
      ? typedVariants(typed)
      : [['as-written', TYPED_VARIANTS['as-written']!] as [string, (text: string) => string]]),
    ...frames,
  ];
  for (const file of files.filter((f) => f.startsWith('questions'))) {
    const questions = await readQuestions(path.join(dir, file));
    const name = file.replace(/\.jsonl$/u, '');
    console.log(`\n${name}`);
    const framed = new Map<string, { cited: number[]; declined: number[] }>();
    for (const [variant, transform] of variants) {
      const { assistant, store } = evalAssistant(retriever, config, flags);
      const judged = await playQuestions(assistant, questions, transform);
      await store.close();
      console.log(
        `  ${variant.padEnd(24)} ${typedLine([...figures(judged)].map(([group, f]) => ({ group, ...f })))}`,
      );
      for (const [group, f] of figures(judged)) {
        summary[`${name}.${variant}.${group}`] = f;
        if (!variant.startsWith('frame-')) continue;
        const sums = framed.get(group) ?? { cited: [], declined: [] };
        if (f.cited !== null) sums.cited.push(f.cited);
        sums.declined.push(f.declined);
        framed.set(group, sums);
      }
    }
    if (frames.length > 0) {
      // The frames' mean, one figure per source: what a question in any of these frames gets.
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const means = [...framed].map(([group, { cited, declined }]) => ({
        group,
        cited: cited.length > 0 ? mean(cited) : null,
        declined: mean(declined),
      }));
      console.log(`  ${`frames (mean of ${frames.length})`.padEnd(24)} ${typedLine(means)}`);
      for (const m of means)
        summary[`${name}.frames.${m.group}`] = {
          cited: m.cited === null ? null : +m.cited.toFixed(3),
          declined: +m.declined.toFixed(3),
        };
    }
  }
  console.log(JSON.stringify({ dataset: path.basename(path.resolve(dir)), typed: true, ...summary }));
}

/** One line of `--typed` / `--frames` figures: cited and declined per source (near misses: declined). */
function typedLine(groups: { group: string; cited: number | null; declined: number }[]): string {
  return groups
    .map((g) =>
      g.cited === null
        ? `${g.group} declined ${pct(g.declined)}`
        : `${g.group} cited ${pct(g.cited)} declined ${pct(g.declined)}`,
    )
    .join(' · ');
}

/** Reads every labelled message of a folder with the message model and prints, per kind, how many it reads as their kind. */
async function evalMessages(dir: string): Promise<void> {
  const model = bundledModels().messages;
  const summary: Record<string, unknown> = {};
  for (const file of (await readdir(dir)).filter((f) => /^messages-.*\.jsonl$/u.test(f)).sort()) {
    const records = await readJsonObjects(path.join(dir, file));
    records.forEach((r, i) => {
      if (typeof r.text !== 'string' || !(MESSAGE_KINDS as readonly unknown[]).includes(r.kind))
        throw new Error(
          `${path.join(dir, file)}: record ${i + 1}: needs "text" and "kind" among ${MESSAGE_KINDS.join(', ')}`,
        );
    });
    const name = file.replace(/\.jsonl$/u, '');
    console.log(`\n${name}`);
    for (const kind of MESSAGE_KINDS) {
      const of = records.filter((r) => r.kind === kind).map((r) => String(r.text));
      if (of.length === 0) continue;
      const read = of.map((t) => model.kind(t));
      const right = read.filter((k) => k === kind).length;
      const other = read.filter((k) => k !== kind);
      const as = [...new Set(other)].map((k) => `${k} ${other.filter((x) => x === k).length}`).join(', ');
      console.log(
        `  ${kind.padEnd(9)} n=${String(of.length).padStart(3)}  read as ${kind} ${pct(right / of.length)}${as ? `  (else: ${as})` : ''}`,
      );
      summary[`${name}.${kind}`] = { n: of.length, right: Math.round((right / of.length) * 1000) / 1000 };
    }
  }
  console.log(JSON.stringify({ dataset: path.basename(path.resolve(dir)), ...summary }));
}

function showJudged(which: string, judged: readonly JudgedMessage[]): void {
  if (which === '') return;
  for (const j of judged) {
    const ok = j.answerable ? j.cited && j.facts : j.declined;
    if (which !== 'all' && ok) continue;
    const first = j.answer.citations[0];
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${j.id} ${j.group} cited=${j.cited} facts=${j.facts} declined=${j.declined} conf=${j.answer.confidence.toFixed(2)} first=${first?.sourceId ?? '-'}:${first?.field ?? '-'} gold=${j.gold.slice(0, 2).join(',')} :: ${j.text}`,
    );
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

main().catch((err: unknown) => {
  console.error(`eval:answers failed: ${describeError(err)}`);
  process.exit(1);
});
