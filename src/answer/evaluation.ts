import { performance } from 'node:perf_hooks';
import type { EvalDataset, EvalQuery } from '../retrieve/evaluation.js';
import { fold } from '../text/index.js';
import type { Answer, Assistant } from './types.js';

/** One question's answer, judged against the gold sources. */
export interface AnswerOutcome {
  query: EvalQuery;
  answer: Answer;
  /** The first citation is a gold document. */
  correct: boolean;
  /** The question is tagged with a field (other than general) and the first citation quotes it. */
  fieldQuoted: boolean | null;
  ms: number;
}

/** Answer-quality figures of a set of outcomes. */
export interface AnswerMetrics {
  queries: number;
  declined_rate: number;
  /** Of the answered ones, share whose first citation is gold. */
  first_citation_precision: number;
  /** Of the answered questions tagged with a field, share whose answer quotes it. */
  field_accuracy: number | null;
  /** Declined questions whose first retrieved document would have been right. */
  declined_but_right: number;
  p50_ms: number;
  p95_ms: number;
}

/** Asks every question in a fresh conversation and judges the answers. */
export async function runAnswers(
  assistant: Assistant,
  dataset: EvalDataset,
  options: { foldQueries?: boolean; topOf?: (q: EvalQuery) => string | undefined } = {},
): Promise<AnswerOutcome[]> {
  const out: AnswerOutcome[] = [];
  for (const query of dataset.queries) {
    const message = options.foldQueries ? fold(query.text) : query.text;
    const t0 = performance.now();
    const answer = await assistant.reply({ message, channel: 'api', audience: 'internal' });
    const ms = performance.now() - t0;
    const gold = dataset.qrels.get(query.id)!;
    const first = answer.citations[0];
    const tagged = query.groups.field !== undefined && query.groups.field !== 'general';
    out.push({
      query,
      answer,
      correct: answer.grounded && first !== undefined && gold.has(first.sourceId),
      fieldQuoted: answer.grounded && tagged ? first?.field === query.groups.field : null,
      ms,
    });
  }
  return out;
}

/** Summarises outcomes; `rightIfAnswered` tells whether a declined question's top result was gold. */
export function summarizeAnswers(
  outcomes: readonly AnswerOutcome[],
  rightIfAnswered: (o: AnswerOutcome) => boolean,
): AnswerMetrics {
  const answered = outcomes.filter((o) => o.answer.grounded);
  const declined = outcomes.filter((o) => !o.answer.grounded);
  const tagged = answered.filter((o) => o.fieldQuoted !== null);
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
  const share = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 1000) / 1000);
  return {
    queries: outcomes.length,
    declined_rate: share(declined.length, outcomes.length),
    first_citation_precision: share(answered.filter((o) => o.correct).length, answered.length),
    field_accuracy:
      tagged.length === 0 ? null : share(tagged.filter((o) => o.fieldQuoted).length, tagged.length),
    declined_but_right: declined.filter(rightIfAnswered).length,
    p50_ms: Math.round(pct(0.5) * 100) / 100,
    p95_ms: Math.round(pct(0.95) * 100) / 100,
  };
}
