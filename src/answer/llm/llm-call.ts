import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { AppError } from '../../errors.js';
import type { RenderedMessage } from './prompts.js';

/** What a failed call is reported with. */
export interface CallContext {
  timeoutMs: number;
  /** Strings that must never appear in an error message (the API key). */
  secrets: readonly string[];
}

/** Converts rendered prompt messages into LangChain messages. */
export function toChatMessages(messages: readonly RenderedMessage[]): BaseMessage[] {
  return messages.map((m) => {
    if (m.role === 'system') return new SystemMessage(m.content);
    if (m.role === 'assistant') return new AIMessage(m.content);
    return new HumanMessage(m.content);
  });
}

/**
 * Runs call with a signal that aborts after ctx.timeoutMs (or when the caller's signal aborts) and
 * maps every failure to an AppError: llm_timeout, or llm_failed with the original cause.
 */
export async function withDeadline<T>(
  ctx: CallContext,
  caller: AbortSignal | undefined,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = caller ? AbortSignal.any([timeout, caller]) : timeout;
  try {
    const result = await call(signal);
    // LangChain ends an aborted stream quietly; a cut-off answer must not pass as a complete one.
    signal.throwIfAborted();
    return result;
  } catch (err) {
    throw toLlmError(err, ctx, timeout, caller);
  }
}

/** The whole reply of a non-streaming call, think-blocks removed and trimmed. */
export async function invokeText(
  model: BaseChatModel,
  messages: BaseMessage[],
  signal: AbortSignal,
): Promise<string> {
  const reply = await model.invoke(messages, { signal });
  return cleanReply(reply.text);
}

/** Streams the reply, handing each non-empty delta to onDelta in order; returns the joined text, trimmed. */
export async function streamText(
  model: BaseChatModel,
  messages: BaseMessage[],
  signal: AbortSignal,
  onDelta: (text: string) => void,
): Promise<string> {
  const stream = await model.stream(messages, { signal });
  let text = '';
  for await (const chunk of stream) {
    const delta = chunk.text;
    if (delta === '') continue;
    text += delta;
    onDelta(delta);
  }
  return cleanReply(text);
}

/** Drops reasoning models' `<think>…</think>` preamble (Qwen3, DeepSeek-R1 on vLLM/Ollama) and trims. */
export function cleanReply(text: string): string {
  return text.replace(/<think>[\s\S]*?<\/think>/g, '').trim();
}

function toLlmError(
  err: unknown,
  ctx: CallContext,
  timeout: AbortSignal,
  caller: AbortSignal | undefined,
): AppError {
  if (err instanceof AppError) return err;
  if (timeout.aborted)
    return new AppError('llm_timeout', `the LLM did not answer within ${ctx.timeoutMs} ms`, { cause: err });
  if (caller?.aborted) {
    const reason: unknown = caller.reason;
    const deadline = reason instanceof Error && reason.name === 'TimeoutError';
    return deadline
      ? new AppError('llm_timeout', "the caller's deadline passed before the LLM answered", { cause: err })
      : new AppError('llm_failed', 'the LLM request was cancelled', { cause: err });
  }
  return new AppError(
    'llm_failed',
    `the LLM request failed${statusOf(err)}: ${scrub(messageOf(err), ctx.secrets)}`,
    {
      cause: scrubbedCause(err, ctx.secrets),
    },
  );
}

/** Keeps the cause unless a server echoed the key into its message: logs print causes too. */
function scrubbedCause(err: unknown, secrets: readonly string[]): unknown {
  if (!(err instanceof Error) || scrub(err.message, secrets) === err.message) return err;
  const copy = new Error(scrub(err.message, secrets));
  copy.name = err.name;
  if ('status' in err) Object.assign(copy, { status: err.status });
  return copy;
}

function statusOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') {
    return ` (HTTP ${err.status})`;
  }
  return '';
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function scrub(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
}
