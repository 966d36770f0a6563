import type { Chunk } from '../ingest/types.js';
import type { Retrieval } from './result-cache.js';
import { ANSWER_QUOTE_CHARS, citationOf, fieldQuote, quote, QUOTE_CHARS } from './extractive.js';
import type { Answer, Citation } from './types.js';

/** A passage handed to the LLM, numbered as it will be cited. */
export interface Passage {
  n: number;
  label: string;
  text: string;
}

/** The LLM side as the answer layer uses it (implemented by `createLlmComposer`). */
export interface AnswerWriter {
  rewrite(
    history: { role: 'user' | 'assistant'; text: string }[],
    question: string,
    signal?: AbortSignal,
  ): Promise<string>;
  compose(
    input: { question: string; passages: Passage[] },
    options?: { signal?: AbortSignal; onDelta?: (text: string) => void },
  ): Promise<{ text: string; markers: number[] }>;
}

/** Passages given to the model: the extractive answer's sources first, then other results' best passages. */
const MAX_PASSAGES = 5;

/** Which LLM step failed and was replaced by the extractive path (for logs and metrics). */
export type LlmFallback = (step: 'rewrite' | 'compose', err: unknown) => void;

/** Rewrites a follow-up into a standalone question; any failure keeps the question as typed and is reported to `onFallback`. */
export async function rewriteSafely(
  writer: AnswerWriter,
  history: { role: 'user' | 'assistant'; text: string }[],
  question: string,
  onFallback?: LlmFallback,
): Promise<string> {
  try {
    return (await writer.rewrite(history, question)) || question;
  } catch (err: unknown) {
    onFallback?.('rewrite', err);
    return question;
  }
}

/**
 * Lets the LLM write the answer from the passages. Anything wrong — a timeout, an error, a marker
 * that points at no passage — leaves the extractive answer in place, so the reply is always
 * grounded, and is reported to `onFallback`.
 */
export async function generate(
  writer: AnswerWriter,
  question: string,
  result: Retrieval,
  extractive: Answer,
  sourceOf: (citation: Citation) => Chunk[],
  onDelta?: (text: string) => void,
  onFallback?: LlmFallback,
): Promise<Answer> {
  const { passages, citations } = passagesFor(result, extractive, sourceOf);
  if (passages.length === 0) return extractive;
  try {
    const written = await writer.compose({ question, passages }, onDelta ? { onDelta } : {});
    const cited = new Set(written.markers);
    return {
      ...extractive,
      answer: written.text,
      citations: citations.filter((c) => cited.has(c.n)),
      mode: 'generated',
    };
  } catch (err: unknown) {
    onFallback?.('compose', err);
    return extractive;
  }
}

function passagesFor(
  result: Retrieval,
  extractive: Answer,
  sourceOf: (citation: Citation) => Chunk[],
): { passages: Passage[]; citations: Citation[] } {
  const chosen = new Map<string, { label: string; text: string; citation: Omit<Citation, 'n'> }>();
  for (const c of extractive.citations) {
    // The model reads a cited procedure field as the extractive answer quotes it: all its passages.
    const chunks = sourceOf(c);
    const text =
      chunks.length === 0 ? '' : fieldQuote(chunks, chunks[0]!.field ? ANSWER_QUOTE_CHARS : QUOTE_CHARS);
    chosen.set(c.chunkId, { label: c.label, text, citation: c });
  }
  for (const r of result.results.slice(0, 3)) {
    for (const c of r.chunks.slice(0, 2)) {
      if (chosen.size >= MAX_PASSAGES || chosen.has(c.chunk.id)) continue;
      chosen.set(c.chunk.id, {
        label: c.chunk.citation,
        text: quote(c.chunk),
        citation: citationOf(0, c.chunk, r.doc),
      });
    }
  }
  const entries = [...chosen.values()].filter((e) => e.text !== '').slice(0, MAX_PASSAGES);
  return {
    passages: entries.map((e, i) => ({ n: i + 1, label: e.label, text: e.text })),
    citations: entries.map((e, i) => ({ ...e.citation, n: i + 1 })),
  };
}
