import { TestAdapter, type Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import { renderTeams } from '../../src/channels/bot.js';
import { AssistantBot } from '../../src/channels/bot-turns.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { bundledRetriever, startApp } from '../helpers/app.js';

/** The Bot Framework channel (Teams, Web Chat): dialogs in-process and the HTTP endpoint. */
let retriever: Retriever;
let store: SqliteStore;
let bot: AssistantBot;

beforeAll(async () => {
  retriever = await bundledRetriever();
  store = SqliteStore.open(':memory:');
  bot = new AssistantBot(
    createAssistant({ retriever: () => retriever, store, handoffContact: 'Tổng đài 1022' }),
  );
}, 120_000);

afterAll(async () => {
  await store.close();
});

const adapter = () => new TestAdapter((context) => bot.run(context));
const text = (a: Partial<Activity>) => a.text ?? '';

describe('Bot Framework dialogs (TestAdapter)', () => {
  it('welcomes a new member on conversationUpdate', async () => {
    const a = adapter();
    await a
      .send({
        type: 'conversationUpdate',
        membersAdded: [{ id: 'user1', name: 'Cán bộ' }],
        recipient: { id: 'bot', name: 'bot' },
      } as Partial<Activity>)
      .assertReply((r) => expect(text(r)).toMatch(/^Xin chào! Tôi là Trợ lý Công vụ/u))
      .startTest();
  });

  it('answers a procedure question with numbered Markdown citations and suggested actions', async () => {
    await adapter()
      .send('Đăng ký kết hôn cần giấy tờ gì?')
      .assertReply((r) => {
        expect(r.textFormat).toBe('markdown');
        expect(text(r)).toMatch(/Thành phần hồ sơ của thủ tục “Thủ tục đăng ký kết hôn”/u);
        expect(text(r)).toMatch(
          /\*\*Nguồn:\*\*\n\n1\. .*Thủ tục .* – Thủ tục đăng ký kết hôn · Thành phần hồ sơ/u,
        );
        expect(r.suggestedActions?.actions.length).toBeGreaterThan(0);
      })
      .startTest();
  });

  it('keeps the procedure in focus for a follow-up, then changes topic', async () => {
    await adapter()
      .send('Đăng ký khai tử cần giấy tờ gì?')
      .assertReply((r) => expect(text(r)).toMatch(/khai tử/u))
      .send('còn lệ phí thì sao?')
      .assertReply((r) => expect(text(r)).toMatch(/^Phí, lệ phí của thủ tục “Thủ tục đăng ký khai tử”/u))
      .send('Đăng ký tạm trú nộp ở đâu?')
      .assertReply((r) => expect(text(r)).toMatch(/^Cơ quan thực hiện của thủ tục “Đăng ký tạm trú”/u))
      .startTest();
  });

  it('declines with the hand-off contact when it does not know', async () => {
    // A conversation of its own: the adapters above share one, with a procedure in focus.
    await new TestAdapter((context) => bot.run(context), {
      conversation: { id: 'unknown-question', isGroup: false, conversationType: 'personal', name: '' },
    })
      .send('kết quả bóng đá tối qua thế nào')
      .assertReply((r) => {
        expect(text(r)).toMatch(/^Xin lỗi/u);
        expect(text(r)).toContain('Tổng đài 1022');
      })
      .startTest();
  });

  it('asks for text when a message carries only an attachment', async () => {
    await adapter()
      .send({
        type: 'message',
        text: '',
        attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }],
      } as Partial<Activity>)
      .assertReply((r) => expect(text(r)).toMatch(/dạng chữ/u))
      .startTest();
  });
});

describe('POST /api/messages over HTTP', () => {
  it('returns the replies in the response body with deliveryMode "expectReplies"', async () => {
    const app = await startApp(() => retriever, { ratePerMinute: 100_000 });
    try {
      const activity = {
        type: 'message',
        id: 'act-1',
        text: 'le phi dang ky khai sinh bao nhieu',
        from: { id: 'user-1', name: 'Cán bộ' },
        recipient: { id: 'bot', name: 'Trợ lý' },
        conversation: { id: 'conv-http-1' },
        channelId: 'emulator',
        serviceUrl: 'http://127.0.0.1:1',
        deliveryMode: 'expectReplies',
      };
      const res = await fetch(`${app.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { activities: Partial<Activity>[] };
      expect(body.activities).toHaveLength(1);
      expect(text(body.activities[0]!)).toMatch(/^Phí, lệ phí của thủ tục “Thủ tục đăng ký khai sinh”/u);
      const bad = await fetch(`${app.base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"type":',
      });
      expect(bad.status).toBe(400);
    } finally {
      await app.close();
    }
  });
});

describe('Teams rendering', () => {
  it('escapes HTML and emphasis from documents and lists citations as links', () => {
    const md = renderTeams({
      conversationId: 'c',
      answer: 'Mẫu <script>x</script> *đậm* [1]',
      citations: [
        {
          n: 1,
          label: 'Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí',
          sourceId: '1.001193',
          chunkId: 'x',
          url: 'https://dichvucong.gov.vn/p/1',
        },
      ],
      grounded: true,
      outcome: 'grounded',
      intent: 'procedure',
      confidence: 1,
      followUps: [],
      alternatives: [],
      mode: 'extractive',
    });
    expect(md).toContain('&lt;script&gt;');
    expect(md).toContain('\\*đậm\\*');
    expect(md).toContain(
      '1. [Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí](https://dichvucong.gov.vn/p/1)',
    );
  });
});
