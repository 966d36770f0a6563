import { ChatOpenAI } from '@langchain/openai';
import { AppError } from '../../errors.js';
import { cutAt } from '../extractive.js';
import { fenceHistory, fencePassages, type FencedPassage, type HistoryTurn } from './fence.js';
import {
  cleanReply,
  invokeText,
  streamText,
  toChatMessages,
  withDeadline,
  type CallContext,
} from './llm-call.js';
import { checkMarkers } from './markers.js';
import { loadPrompts, render } from './prompts.js';

/** How to reach an OpenAI-compatible chat endpoint (vLLM, Ollama, OpenAI, a national provider). */
export interface LlmComposerOptions {
  /** Base URL including the API prefix, e.g. "http://127.0.0.1:8000/v1". */
  baseUrl: string;
  model: string;
  /** Omitted for local servers that need none. */
  apiKey?: string;
  /** Deadline of one request (rewrite or compose), in ms; default 15,000. */
  timeoutMs?: number;
  /** Folder holding answer.md and rewrite.md. */
  promptsDir: string;
  /** Upper bound on the answer's length, in tokens; default 1,024. */
  maxTokens?: number;
  /**
   * Most characters of passages put in one answer request (default 12,000, about 4,000 tokens of
   * Vietnamese): the first passages (the extractive answer's sources) keep their room, later
   * ones are cut or left out, so a model with a small context window is not sent more than it reads.
   */
  contextChars?: number;
  /** Clock for the {{today}} variable; default the system clock. */
  now?: () => Date;
}

/** The generated-answer path; structurally the answer layer's `AnswerWriter`. */
export interface LlmComposer {
  /** Rewrites a follow-up into a standalone question; the question itself when the reply is empty or too long. */
  rewrite(history: HistoryTurn[], question: string, signal?: AbortSignal): Promise<string>;
  /** Writes an answer from the passages only; throws llm_invalid_citation unless every [n] names a given passage. */
  compose(
    input: { question: string; passages: FencedPassage[] },
    options?: { signal?: AbortSignal; onDelta?: (text: string) => void },
  ): Promise<{ text: string; markers: number[] }>;
}

/** Longest standalone question accepted from the rewrite, in characters. */
const MAX_QUESTION_CHARS = 500;
/** Turns of history shown to the rewrite, and the characters kept of each: enough to resolve "còn phí thì sao?". */
const HISTORY_TURNS = 6;
const TURN_CHARS = 600;
const REWRITE_MAX_TOKENS = 256;
export const DEFAULT_CONTEXT_CHARS = 12_000;
/** A passage is not cut shorter than this; with less room left, it and the passages after it are left out. */
const MIN_PASSAGE_CHARS = 300;

/**
 * The passages that fit in `limit` characters, in order: each takes what is left of the room, cut
 * at a line (else a word) and ended with "…"; once less than a useful passage is left, the rest
 * are left out. The first passage is always kept.
 */
export function withinContext<P extends { text: string }>(passages: readonly P[], limit: number): P[] {
  const out: P[] = [];
  let left = limit;
  for (const p of passages) {
    if (p.text.length <= left) {
      out.push(p);
      left -= p.text.length;
      continue;
    }
    if (left < MIN_PASSAGE_CHARS && out.length > 0) break;
    out.push({ ...p, text: `${cutAt(p.text, Math.max(left, MIN_PASSAGE_CHARS) - 2)} …` });
    break;
  }
  return out;
}

/** Loads and checks the prompts (AppError 'prompt_invalid'), then builds the composer; no request is made here. */
export async function createLlmComposer(options: LlmComposerOptions): Promise<LlmComposer> {
  const prompts = await loadPrompts(options.promptsDir);
  const ctx: CallContext = {
    timeoutMs: options.timeoutMs ?? 15_000,
    secrets: options.apiKey ? [options.apiKey] : [],
  };
  const answerModel = chatModel(options, options.maxTokens ?? 1024);
  const rewriteModel = chatModel(
    options,
    Math.min(REWRITE_MAX_TOKENS, options.maxTokens ?? REWRITE_MAX_TOKENS),
  );
  const now = options.now ?? (() => new Date());
  const contextChars = options.contextChars ?? DEFAULT_CONTEXT_CHARS;

  return {
    async rewrite(history, question, signal) {
      const turns = recentTurns(history);
      // Nothing to resolve against: skip the round-trip.
      if (turns.length === 0) return question;
      const rendered = render(prompts.rewrite, { history: fenceHistory(turns), question });
      const reply = await withDeadline(ctx, signal, (s) =>
        invokeText(rewriteModel, toChatMessages(rendered), s),
      );
      return standaloneQuestion(reply, question);
    },

    async compose(input, callOptions = {}) {
      if (input.passages.length === 0)
        throw new AppError('llm_invalid_citation', 'no passages to answer from');
      const passages = withinContext(input.passages, contextChars);
      const rendered = render(prompts.answer, {
        question: input.question,
        passages: fencePassages(passages),
        today: vietnameseDate(now()),
      });
      const messages = toChatMessages(rendered);
      const { onDelta } = callOptions;
      const text = await withDeadline(ctx, callOptions.signal, (s) =>
        onDelta ? streamText(answerModel, messages, s, onDelta) : invokeText(answerModel, messages, s),
      );
      if (text === '') throw new AppError('llm_failed', 'the LLM returned an empty answer');
      const markers = checkMarkers(
        text,
        passages.map((p) => p.n),
      );
      return { text, markers };
    },
  };
}

function chatModel(options: LlmComposerOptions, maxTokens: number): ChatOpenAI {
  return new ChatOpenAI({
    model: options.model,
    // Local servers (vLLM, Ollama) accept any key, but the client refuses to start without one.
    apiKey: options.apiKey ?? 'not-needed',
    configuration: { baseURL: options.baseUrl },
    temperature: 0,
    maxTokens,
    // One retry at most: the extractive answer is the safety net, and latency must stay bounded.
    maxRetries: 1,
    // Older OpenAI-compatible servers reject `stream_options`; usage numbers are not needed here.
    streamUsage: false,
    useResponsesApi: false,
  });
}

function recentTurns(history: readonly HistoryTurn[]): HistoryTurn[] {
  return history
    .filter((t) => t.text.trim() !== '')
    .slice(-HISTORY_TURNS)
    .map((t) => ({
      role: t.role,
      text: t.text.length > TURN_CHARS ? `${t.text.slice(0, TURN_CHARS)}…` : t.text,
    }));
}

/** First non-empty line of the reply, without a "Câu hỏi …:" label or wrapping quotes. */
function standaloneQuestion(reply: string, original: string): string {
  const line =
    cleanReply(reply)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  const bare = line
    .replace(/^(?:câu hỏi(?: độc lập| viết lại)?|standalone question)\s*:\s*/iu, '')
    .replace(/^["“'«]+|["”'»]+$/gu, '')
    .trim();
  return bare === '' || bare.length > MAX_QUESTION_CHARS ? original : bare;
}

function vietnameseDate(date: Date): string {
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}
