// @ts-check
/* The frame's calls to the server: the streamed answer (POST /api/chat/stream), feedback
 * (POST /api/feedback) and the hand-off contact (GET /widget/config.json). Failures reject with a
 * `UserError` whose message is Vietnamese and fit to show. */
import { readEventStream } from '../../../lib/browser/sse.js';

export const NET_ERROR = 'Không kết nối được máy chủ, vui lòng thử lại.';
export const SEND_ERROR = 'Không gửi được câu hỏi, vui lòng thử lại.';
export const THANKS = 'Cảm ơn bạn đã góp ý.';
const FEEDBACK_ERROR = 'Không gửi được góp ý, vui lòng thử lại.';

/** An error whose message is meant for the visitor. */
export class UserError extends Error {}

/**
 * The final answer event of the stream (only `answer` is sure to be there; the rest is checked
 * where it is used).
 * @typedef {{ answer: string, conversationId?: unknown, citations?: unknown, followUps?: unknown, messageId?: unknown, outcome?: unknown }} Answer
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => !!v && typeof v === 'object';

/** The JSON body of `res`, or {} when it has none. @param {Response} res @returns {Promise<Record<string, unknown>>} */
async function jsonOf(res) {
  try {
    const data = /** @type {unknown} */ (await res.json());
    return isObject(data) ? data : {};
  } catch {
    return {};
  }
}

/** What to tell the visitor about a refused question. @param {Response} res */
async function errorFrom(res) {
  const data = await jsonOf(res);
  if (res.status === 429 && typeof data.message === 'string') return data.message;
  return res.status >= 500 ? NET_ERROR : SEND_ERROR;
}

/**
 * Asks `message` and streams the answer: `onDelta` gets each piece of text as it comes; resolves
 * with the final answer.
 * @param {{ message: string, conversationId: string | null }} question
 * @param {(text: string) => void} onDelta
 * @returns {Promise<Answer>}
 */
export async function ask(question, onDelta) {
  /** @type {{ message: string, channel: string, conversationId?: string }} */
  const body = { message: question.message, channel: 'web' };
  if (question.conversationId) body.conversationId = question.conversationId;
  const res = await fetch('/api/chat/stream', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new UserError(await errorFrom(res));
  /** @type {unknown} */
  let answer = null;
  await readEventStream(res, ({ event, data }) => {
    const payload = /** @type {unknown} */ (JSON.parse(data));
    if (!isObject(payload)) return;
    if (event === 'delta' && typeof payload.text === 'string') onDelta(payload.text);
    else if (event === 'answer') answer = payload;
    else if (event === 'error')
      throw new UserError(typeof payload.message === 'string' ? payload.message : NET_ERROR);
  });
  if (!isObject(answer) || typeof answer.answer !== 'string') throw new UserError(NET_ERROR);
  return /** @type {Answer} */ (answer);
}

/**
 * Sends a 👍 / 👎 (with an optional comment) about one answer; resolves with the thanks to show.
 * @param {{ conversationId: string | null, messageId: string, rating: 'up' | 'down', comment?: string }} feedback
 * @returns {Promise<string>}
 */
export async function sendFeedback(feedback) {
  /** @type {Record<string, string | null>} */
  const body = {
    conversationId: feedback.conversationId,
    messageId: feedback.messageId,
    rating: feedback.rating,
  };
  if (feedback.comment) body.comment = feedback.comment;
  const res = await fetch('/api/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await jsonOf(res);
  if (!res.ok)
    throw new UserError(
      res.status === 429 && typeof data.message === 'string' ? data.message : FEEDBACK_ERROR,
    );
  return typeof data.message === 'string' ? data.message : THANKS;
}

/**
 * The hand-off contact from /widget/config.json ("" when none is set).
 * @returns {Promise<string>}
 */
export async function handoffContact() {
  const res = await fetch('/widget/config.json');
  if (!res.ok) throw new Error('config');
  const cfg = /** @type {unknown} */ (await res.json());
  return isObject(cfg) && typeof cfg.handoffContact === 'string' ? cfg.handoffContact.trim() : '';
}
