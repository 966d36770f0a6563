import { createHash } from 'node:crypto';
import {
  ActivityHandler,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import { Router } from 'express';
import type { Answer, Assistant } from '../answer/types.js';
import { pageNote } from '../answer/extractive.js';
import { GREETING } from '../answer/replies.js';

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

/** The bot: a thin adapter from activities to the answer layer. Officials' channel, so internal documents are visible. */
export class AssistantBot extends ActivityHandler {
  constructor(assistant: Assistant) {
    super();
    this.onMessage(async (context, next) => {
      const text = (context.activity.text ?? '').trim();
      if (text === '') {
        await context.sendActivity(
          MessageFactory.text('Hiện tôi chỉ đọc được tin nhắn dạng chữ. Bạn vui lòng gõ câu hỏi.'),
        );
      } else {
        const answer = await assistant.reply({
          message: text,
          conversationId: botConversationId(context),
          channel: 'teams',
          audience: 'internal',
          ...(context.activity.from?.id
            ? { userRef: context.activity.from.aadObjectId ?? context.activity.from.id }
            : {}),
        });
        const reply = MessageFactory.suggestedActions(answer.followUps.slice(0, 5), renderTeams(answer));
        reply.textFormat = 'markdown';
        await context.sendActivity(reply);
      }
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) {
        if (member.id === context.activity.recipient?.id) continue;
        await context.sendActivity(MessageFactory.text(GREETING));
      }
      await next();
    });
  }
}

/** `POST /api/messages` through `CloudAdapter`; errors in a turn become a polite message, not a 500 loop. */
export function botRouter(
  assistant: Assistant,
  credentials: BotCredentials,
  log: (msg: string, err?: unknown) => void,
): Router {
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: credentials.appId ?? '',
    MicrosoftAppPassword: credentials.appPassword ?? '',
    MicrosoftAppType: credentials.appType ?? (credentials.appId ? 'SingleTenant' : ''),
    MicrosoftAppTenantId: credentials.tenantId ?? '',
  });
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    log('bot turn failed', error);
    if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity('Đã có lỗi xảy ra khi trả lời, vui lòng thử lại sau ít phút.');
    }
  };
  const bot = new AssistantBot(assistant);
  const router = Router();
  router.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  return router;
}
