import { createHash } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import { Router } from 'express';
import type { Answer, Assistant } from '../answer/types.js';
import { pageNote } from '../answer/extractive.js';
import type { BotHandler } from './bot-turns.js';

/** Bot Framework credentials; all empty means no authentication (local use, the Emulator). */
export interface BotCredentials {
  appId?: string;
  appPassword?: string;
  appType?: string;
  tenantId?: string;
}

/** Teams renders a subset of Markdown: keep HTML and emphasis characters literal. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_`<>]/gu, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** An answer as Teams Markdown: the text, then citations as a numbered list of links (no tables). */
export function renderTeams(answer: Answer): string {
  const body = escapeMarkdown(answer.answer).replace(/\n/gu, '  \n');
  if (answer.citations.length === 0) return body;
  const sources = answer.citations.map((c) => {
    const label = escapeMarkdown(c.label).replace(/[[\]]/gu, '');
    return `${c.n}. ${c.url ? `[${label}](${c.url})` : label}${pageNote(c) !== '' ? ` (${pageNote(c)})` : ''}`;
  });
  return `${body}\n\n**Nguồn:**\n\n${sources.join('\n')}`;
}

/** Conversation ids of Bot Framework channels are long and full of ':' and '|'; the store gets a stable hash. */
export function botConversationId(context: TurnContext): string {
  const raw = `${context.activity.channelId}:${context.activity.conversation?.id ?? ''}`;
  return `bf-${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

/**
 * `POST /api/messages`. `botbuilder` is loaded with the first request (`bot-turns.ts`), not when
 * the server starts: every serving process would otherwise carry it.
 */
export function botRouter(
  assistant: Assistant,
  credentials: BotCredentials,
  log: (msg: string, err?: unknown) => void,
): Router {
  let handler: Promise<BotHandler> | undefined;
  const router = Router();
  router.post('/api/messages', async (req, res) => {
    handler ??= import('./bot-turns.js')
      .then((m) => m.createBotHandler(assistant, credentials, log))
      .catch((err: unknown) => {
        handler = undefined; // the next request tries again
        throw err;
      });
    await (
      await handler
    )(req, res);
  });
  return router;
}
