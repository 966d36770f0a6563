import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmComposer } from '../../src/answer/llm/llm-composer.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../answer/llm/fake-openai-server.js';
import { bundledRetriever, startApp } from '../helpers/app.js';

let retriever: Retriever;
let llm: FakeOpenAiServer;
let app: Awaited<ReturnType<typeof startApp>>;
/** LLM steps the assistant reported as failed and answered without. */
const fallbacks: { step: string; code: string }[] = [];

/** The model's answer: cites passage 1, or what the test sets. */
let reply: () => { content?: string; delayMs?: number; status?: number } = () => ({
  content: 'Đăng ký khai sinh đúng hạn được miễn lệ phí [1].',
});

beforeAll(async () => {
  retriever = await bundledRetriever();
  llm = await startFakeOpenAiServer((req) => {
    const system = req.body.messages[0]?.content ?? '';
    // The rewrite prompt asks for a standalone question; answer it with the follow-up made explicit.
    if (/câu hỏi độc lập|standalone/iu.test(system))
      return { content: 'Lệ phí đăng ký khai sinh là bao nhiêu?' };
    return reply();
  });
  const writer = await createLlmComposer({
    baseUrl: llm.baseUrl,
    model: 'fake-model',
    timeoutMs: 1500,
    promptsDir: path.resolve('prompts'),
  });
  app = await startApp(() => retriever, {
    assistant: {
      writer,
      onLlmFallback: (step, err) =>
        fallbacks.push({ step, code: (err as { code?: string }).code ?? 'unknown' }),
    },
  });
});
afterAll(async () => {
  await app.close();
  await llm.close();
});

async function chat(message: string, conversationId?: string) {
  const res = await fetch(`${app.base}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });
  return (await res.json()) as {
    answer: string;
    mode: string;
    outcome: string;
    intent: string;
    citations: { n: number; label: string }[];
    conversationId: string;
  };
}

describe('/api/chat with an OpenAI-compatible model configured', () => {
  it('"sai rồi" is not rewritten into the question it rejects, so the rejected procedure is not answered again', async () => {
    reply = () => ({ content: 'Miễn lệ phí khi đăng ký đúng hạn [1].' });
    const first = await chat('Lệ phí đăng ký khai sinh là bao nhiêu?');
    expect(first.outcome).toBe('grounded');
    const before = llm.requests.length;
    const no = await chat('sai rồi', first.conversationId);
    const again = await chat('sai rồi', first.conversationId);
    for (const r of [no, again]) {
      expect(r.intent).toBe('rejection');
      expect(r.citations).toEqual([]);
    }
    expect(llm.requests.length).toBe(before);
  });

  it('answers with the model text, its [1] mapped to the retrieved passage', async () => {
    reply = () => ({ content: 'Đăng ký khai sinh đúng hạn được miễn lệ phí [1].' });
    const body = await chat('lệ phí đăng ký khai sinh bao nhiêu');
    expect(body).toMatchObject({ mode: 'generated', outcome: 'grounded' });
    expect(body.answer).toBe('Đăng ký khai sinh đúng hạn được miễn lệ phí [1].');
    expect(body.citations[0]!.label).toMatch(/khai sinh/u);
    // The passages went to the model fenced, with the question.
    const last = llm.requests
      .at(-1)!
      .body.messages.map((m) => m.content)
      .join('\n');
    expect(last).toMatch(/<<<ĐOẠN \[1\] id=[0-9a-f]+/u);
  });

  it('falls back to the extractive answer when the model cites a passage it was not given', async () => {
    reply = () => ({ content: 'Miễn lệ phí [7].' });
    const body = await chat('lệ phí đăng ký khai sinh bao nhiêu');
    expect(body.mode).toBe('extractive');
    expect(body.answer).toMatch(/Phí, lệ phí/u);
  });

  it('falls back to the extractive answer when the model is too slow or fails, and reports each fallback', async () => {
    fallbacks.length = 0;
    reply = () => ({ content: 'Quá muộn [1].', delayMs: 3000 });
    expect((await chat('lệ phí đăng ký khai sinh bao nhiêu')).mode).toBe('extractive');
    reply = () => ({ status: 500 });
    expect((await chat('lệ phí đăng ký khai sinh bao nhiêu')).mode).toBe('extractive');
    // A 500 is retried within the deadline, so under load it may end as a time-out as well.
    expect(fallbacks.map((f) => f.step)).toEqual(['compose', 'compose']);
    expect(fallbacks[0]!.code).toBe('llm_timeout');
    expect(fallbacks[1]!.code).toMatch(/^llm_(failed|timeout)$/u);
  });

  it('a later question in a conversation is rewritten with its history before retrieval', async () => {
    reply = () => ({ content: 'Miễn lệ phí khi đăng ký đúng hạn [1].' });
    const first = await chat('thủ tục đăng ký khai sinh');
    const before = llm.requests.length;
    const second = await chat('giấy chứng sinh bị mất thì nộp giấy tờ thay thế nào', first.conversationId);
    expect(second.outcome).toBe('grounded');
    const rewrite = llm.requests
      .slice(before)
      .find((r) => /câu hỏi độc lập/u.test(r.body.messages[0]?.content ?? ''));
    expect(rewrite, 'a rewrite request').toBeDefined();
    expect(rewrite!.body.messages.map((m) => m.content).join('\n')).toMatch(/đăng ký khai sinh/u);
    // "còn lệ phí thì sao?" is answered from the procedure in focus without asking the model to rewrite.
    const n = llm.requests.length;
    const third = await chat('còn lệ phí thì sao?', first.conversationId);
    expect(third.outcome).toBe('grounded');
    expect(
      llm.requests.slice(n).some((r) => /câu hỏi độc lập/u.test(r.body.messages[0]?.content ?? '')),
    ).toBe(false);
  });
});
