/**
 * The parts of the Bot Framework channel that need `botbuilder` (about 70 MB of resident memory
 * once loaded). `bot.ts` imports this module on the first `POST /api/messages`, so a province
 * that does not use Teams or Web Chat never pays for it.
 */
import {
  ActivityHandler,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  MessageFactory,
} from 'botbuilder';
import type { Request, Response } from 'express';
import type { Assistant } from '../answer/types.js';
import { GREETING } from '../answer/replies.js';
import { botConversationId, renderTeams, type BotCredentials } from './bot.js';

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

/** Runs one Bot Framework request: authentication by `CloudAdapter`, a failed turn becomes a polite message. */
export type BotHandler = (req: Request, res: Response) => Promise<void>;

export function createBotHandler(
  assistant: Assistant,
  credentials: BotCredentials,
  log: (msg: string, err?: unknown) => void,
): BotHandler {
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
  return async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  };
}
