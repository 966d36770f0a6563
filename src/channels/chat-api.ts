import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AssistantStore } from '../answer/store.js';
import type { Answer, Assistant, ChannelId } from '../answer/types.js';
import { AppError, errorBody } from '../errors.js';
import { parseBody } from '../lib/parse-body.js';
import { maskPii } from '../text/index.js';

/** Longest message accepted over HTTP, in characters (the answer layer asks to shorten past 1,000). */
const MAX_MESSAGE_CHARS = 10_000;

const conversationId = z
  .string()
  .regex(/^[\w-]{1,64}$/u, 'conversationId must be 1–64 letters, digits, "-" or "_"');

const chatBody = z.object({
  message: z
    .string({ error: 'message must be a string' })
    .max(MAX_MESSAGE_CHARS, `message is longer than ${MAX_MESSAGE_CHARS} characters`),
  conversationId: conversationId.optional(),
  channel: z.enum(['api', 'web']).optional(),
});

const feedbackBody = z.object({
  conversationId,
  messageId: z.string().max(64).optional(),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(2000, 'comment is longer than 2000 characters').optional(),
});

/** The JSON shape of an answer over HTTP (DESIGN §3). */
export function answerJson(a: Answer) {
  return {
    conversationId: a.conversationId,
    messageId: a.messageId ?? null,
    answer: a.answer,
    citations: a.citations,
    grounded: a.grounded,
    outcome: a.outcome,
    intent: a.intent,
    field: a.field ?? null,
    confidence: Math.round(a.confidence * 1000) / 1000,
    followUps: a.followUps,
    alternatives: a.alternatives,
    handoff: a.handoff ?? null,
    mode: a.mode,
  };
}

/** Per-conversation limiter hook: returns seconds to wait, or 0 when the message may go through. */
export type ConversationLimit = (conversationId: string) => number;

/** `/api/chat`, its SSE variant `/api/chat/stream`, and `/api/feedback`. */
export function chatRouter(deps: {
  assistant: Assistant;
  store: AssistantStore;
  limitConversation?: ConversationLimit;
}): Router {
  const router = Router();
  const question = (req: Request) => {
    const body = parseBody(chatBody, req.body);
    if (body.message.trim() === '') throw new AppError('bad_request', 'message: must not be empty');
    if (body.conversationId && deps.limitConversation) {
      const wait = deps.limitConversation(body.conversationId);
      if (wait > 0)
        throw new AppError('rate_limited', `Bạn gửi quá nhiều tin nhắn, vui lòng thử lại sau ${wait} giây.`);
    }
    const channel: ChannelId = body.channel ?? 'api';
    return {
      message: body.message,
      channel,
      audience: 'public' as const,
      ...(body.conversationId ? { conversationId: body.conversationId } : {}),
    };
  };

  router.post('/api/chat', async (req, res) => {
    const answer = await deps.assistant.reply(question(req));
    res.json(answerJson(answer));
  });

  router.post('/api/chat/stream', async (req, res) => {
    const q = question(req);
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const send = (event: string, data: unknown) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    try {
      const answer = await deps.assistant.replyStream(q, (text) => send('delta', { text }));
      send('answer', answerJson(answer));
    } catch (err: unknown) {
      const e =
        err instanceof AppError
          ? err
          : new AppError('internal', 'unexpected error while streaming', { cause: err });
      res.locals.streamError = e.code;
      send('error', errorBody(e));
    }
    res.end();
  });

  router.post('/api/feedback', async (req: Request, res: Response) => {
    const body = parseBody(feedbackBody, req.body);
    if (!(await deps.store.getConversation(body.conversationId)))
      throw new AppError('not_found', `conversation ${body.conversationId} does not exist`);
    await deps.store.addFeedback({
      conversationId: body.conversationId,
      rating: body.rating,
      ...(body.messageId ? { messageId: body.messageId } : {}),
      ...(body.comment?.trim() ? { comment: maskPii(body.comment.trim()) } : {}),
    });
    res.status(201).json({ status: 'ok', message: 'Cảm ơn bạn đã góp ý.' });
  });
  return router;
}
