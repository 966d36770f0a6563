import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Retriever } from '../../src/retrieve/retriever.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';
import { bundledRetriever, startApp } from '../helpers/app.js';

/** `/api/chat` over real HTTP on the bundled corpus: what a citizen typing in the web chat gets. */
let retriever: Retriever;
let base: string;
let store: SqliteStore;
let logs: Record<string, unknown>[];
let close: () => Promise<void>;

beforeAll(async () => {
  retriever = await bundledRetriever();
  ({ base, store, logs, close } = await startApp(() => retriever, { ratePerMinute: 100_000 }));
}, 120_000);

afterAll(async () => {
  await close();
});

interface ChatJson {
  answer: string;
  conversationId: string;
  messageId: string | null;
  grounded: boolean;
  outcome: string;
  field: string | null;
  citations: { n: number; label: string; sourceId: string; field?: string }[];
  followUps: string[];
  alternatives: { sourceId: string; title: string }[];
  handoff: string | null;
}

async function chat(message: unknown, conversationId?: string): Promise<{ status: number; body: ChatJson }> {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
  });
  return { status: res.status, body: (await res.json()) as ChatJson };
}

const codeOf = (title: RegExp) =>
  retriever.snapshot.documents.find((d) => d.kind === 'procedure' && title.test(d.title))!.id;

describe('POST /api/chat on the bundled corpus', () => {
  const CASES: { question: string; procedure: RegExp; field: string }[] = [
    {
      question: 'Lệ phí đăng ký khai sinh bao nhiêu?',
      procedure: /^Thủ tục đăng ký khai sinh$/u,
      field: 'phi',
    },
    {
      question: 'le phi dang ky khai sinh bao nhieu',
      procedure: /^Thủ tục đăng ký khai sinh$/u,
      field: 'phi',
    },
    {
      question: 'Đăng ký kết hôn cần những giấy tờ gì?',
      procedure: /^Thủ tục đăng ký kết hôn$/u,
      field: 'ho_so',
    },
    {
      question: 'dang ky ket hon can nhung giay to gi',
      procedure: /^Thủ tục đăng ký kết hôn$/u,
      field: 'ho_so',
    },
    { question: 'cấp lại CCCD mất mấy ngày', procedure: /^Cấp lại thẻ căn cước$/u, field: 'thoi_han' },
    { question: 'dang ky tam tru nop o dau', procedure: /^Đăng ký tạm trú$/u, field: 'co_quan' },
    {
      question: 'Đổi bằng lái xe có nộp online được không?',
      procedure: /^Đổi giấy phép lái xe$/u,
      field: 'cach_thuc',
    },
  ];
  for (const c of CASES) {
    it(`answers "${c.question}" from the ${c.field} field of the right procedure, with its citation`, async () => {
      const { status, body } = await chat(c.question);
      expect(status).toBe(200);
      expect(body.grounded).toBe(true);
      expect(body.field).toBe(c.field);
      expect(body.citations[0]).toMatchObject({ n: 1, sourceId: codeOf(c.procedure), field: c.field });
      expect(body.citations[0]!.label).toMatch(/^Thủ tục /u);
      expect(body.answer).toContain('[1]');
    });
  }

  it('quotes the fee text of the record verbatim', async () => {
    const { body } = await chat('lệ phí đăng ký kết hôn');
    const doc = retriever.snapshot.documents.find((d) => d.id === body.citations[0]!.sourceId)!;
    const feeCell = doc.procedure!.channels.find((r) => r.fee !== '')?.fee;
    expect(feeCell).toBeDefined();
    expect(body.answer).toContain(feeCell!);
  });

  it('cites Điều/Khoản of a legal text for a legal question', async () => {
    const { body } = await chat('Bản sao được chứng thực từ bản chính có giá trị pháp lý thế nào?');
    expect(body.grounded).toBe(true);
    expect(body.citations[0]!.label).toBe('Điều 3 Nghị định 23/2015/NĐ-CP');
    expect(body.answer).toMatch(/^Theo Điều 3 Nghị định 23\/2015\/NĐ-CP:\n“/u);
  });

  it('follows up on the procedure in focus: "còn lệ phí thì sao?" then "nộp online được không?"', async () => {
    const first = await chat('Đăng ký khai tử cần giấy tờ gì?');
    const id = first.body.conversationId;
    const code = first.body.citations[0]!.sourceId;
    expect(first.body.followUps.length).toBeGreaterThan(0);
    const fee = await chat('còn lệ phí thì sao?', id);
    expect(fee.body).toMatchObject({ conversationId: id, field: 'phi', grounded: true });
    expect(fee.body.citations[0]!.sourceId).toBe(code);
    const online = await chat('nộp online được không?', id);
    expect(online.body.field).toBe('cach_thuc');
    expect(online.body.citations[0]!.sourceId).toBe(code);
    expect(online.body.answer).toMatch(/trực tuyến/u);
  });

  it('changes focus when an unrelated question comes', async () => {
    const first = await chat('Đăng ký khai tử cần giấy tờ gì?');
    const next = await chat('Cấp giấy phép xây dựng nhà ở riêng lẻ mất bao lâu?', first.body.conversationId);
    expect(next.body.citations[0]!.sourceId).toBe(codeOf(/^Cấp giấy phép xây dựng/u));
  });

  it('picks a suggested follow-up when the user answers with its number', async () => {
    const first = await chat('Thủ tục đăng ký khai sinh');
    const index = first.body.followUps.findIndex((f) => /giấy tờ/u.test(f));
    expect(index).toBeGreaterThanOrEqual(0);
    const picked = await chat(String(index + 1), first.body.conversationId);
    expect(picked.body.field).toBe('ho_so');
  });

  it('declines politely with suggestions and the hand-off contact when it does not know, and logs the gap', async () => {
    const { body } = await chat('giá vàng hôm nay bao nhiêu');
    expect(body).toMatchObject({ grounded: false, outcome: 'declined', handoff: 'Tổng đài 1022' });
    expect(body.answer).toMatch(/^Xin lỗi/u);
    expect(body.answer).toContain('Tổng đài 1022');
    const gaps = await store.gapReport();
    expect(gaps.some((g) => g.normalized === 'gia vang hom nay bao nhieu')).toBe(true);
  });

  it('declines a permit question about something no document mentions, instead of answering with a building permit', async () => {
    for (const message of [
      'thủ tục cấp phép bay drone trên sao Hỏa',
      'cấp phép bay flycam',
      'xin giấy phép karaoke',
    ]) {
      const { body } = await chat(message);
      expect(body.outcome, message).toBe('declined');
    }
    // Typed without diacritics, a known subject is still answered.
    expect((await chat('cap giay phep xay dung nha o rieng le')).body.outcome).toBe('grounded');
  });

  it('greets, helps and hands over without searching', async () => {
    expect((await chat('xin chào')).body).toMatchObject({ outcome: 'smalltalk', grounded: false });
    expect((await chat('Xin chào')).body.followUps.length).toBe(3);
    const handoff = await chat('tôi muốn gặp cán bộ');
    expect(handoff.body.handoff).toBe('Tổng đài 1022');
  });

  it('stores the conversation as an audit trail with the citations given', async () => {
    const { body } = await chat('Đăng ký thường trú cần giấy tờ gì?');
    const messages = await store.listMessages(body.conversationId);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]!.citations[0]!.sourceId).toBe(body.citations[0]!.sourceId);
    expect(messages[1]!.id).toBe(body.messageId);
  });

  it('records thumbs down with a comment on an answer, once per message', async () => {
    const { body } = await chat('Đăng ký tạm trú cần giấy tờ gì?');
    const send = (rating: string, comment?: string) =>
      fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          conversationId: body.conversationId,
          messageId: body.messageId,
          rating,
          comment,
        }),
      });
    expect((await send('up')).status).toBe(201);
    expect((await send('down', 'Thiếu mẫu tờ khai')).status).toBe(201);
    const mine = (await store.listFeedback()).filter((f) => f.messageId === body.messageId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ rating: 'down', comment: 'Thiếu mẫu tờ khai' });
    expect(mine[0]!.question).toBe('Đăng ký tạm trú cần giấy tờ gì?');
  });
});

describe('POST /api/chat/stream', () => {
  it('streams the answer text as Server-Sent Events, then the full answer', async () => {
    const res = await fetch(`${base}/api/chat/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'đăng ký khai sinh cần giấy tờ gì' }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/u);
    const events = (await res.text())
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n');
        return {
          event: event!.replace('event: ', ''),
          data: JSON.parse(data!.replace('data: ', '')) as Record<string, unknown>,
        };
      });
    expect(events.map((e) => e.event)).toEqual(['delta', 'answer']);
    expect(events[0]!.data.text).toBe(events[1]!.data.answer);
    expect(events[1]!.data).toMatchObject({ grounded: true, field: 'ho_so' });
  });
});

describe('bad input on /api/chat', () => {
  it.each([
    ['an empty message', ''],
    ['a whitespace-only message', '   \n\t '],
    ['a message that is not a string', 42],
  ])('answers 400 with a clear message for %s', async (_label, message) => {
    const { status, body } = await chat(message);
    expect(status).toBe(400);
    expect((body as unknown as { message: string }).message).toBe('Yêu cầu không hợp lệ ở trường “message”.');
  });

  it('answers 400 for malformed JSON and for a missing message, and 413 for a huge body', async () => {
    const post = (body: string) =>
      fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"message": ');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: 'bad_request',
      message: 'Nội dung yêu cầu không phải JSON hợp lệ.',
    });
    expect((await post('{}')).status).toBe(400);
    expect((await post(JSON.stringify({ message: 'a'.repeat(200_000) }))).status).toBe(413);
  });

  it('asks to shorten a 10 kB question instead of searching it', async () => {
    const { status, body } = await chat('thủ tục '.repeat(1250).slice(0, 10_000));
    expect(status).toBe(200);
    expect(body.grounded).toBe(false);
    expect(body.answer).toMatch(/tóm tắt/u);
  });

  it('replies to binary junk and non-Vietnamese text without a 500', async () => {
    expect((await chat('\u0000\u0001\u0002\ufffd')).body.answer).toMatch(/chưa đọc được/u);
    const english = await chat('What is the capital of Australia?');
    expect(english.status).toBe(200);
  });

  it('starts a conversation under an unknown id and rejects a malformed id', async () => {
    const fresh = await chat('xin chào', 'my-own-id-123');
    expect(fresh.body.conversationId).toBe('my-own-id-123');
    expect((await chat('xin chào', '../../etc/passwd')).status).toBe(400);
  });

  it('rejects feedback for an unknown conversation or message with 404', async () => {
    const res = await fetch(`${base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId: 'nope', rating: 'up' }),
    });
    expect(res.status).toBe(404);
  });

  it('masks CCCD numbers, phone numbers and e-mails in the logs', async () => {
    await chat('CCCD của tôi là 001203004567, sđt 0912 345 678, email an.nguyen@example.vn, cần làm gì?');
    const text = JSON.stringify(logs);
    expect(text).not.toContain('001203004567');
    expect(text).not.toContain('0912 345 678');
    expect(text).not.toContain('an.nguyen@example.vn');
  });

  it('shows the size and hit rate of every cache of the serving path on /metrics', async () => {
    const question = 'đăng ký khai sinh cần giấy tờ gì';
    await chat(question);
    await chat(question);
    const text = await (await fetch(`${base}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'mu').exec(text)?.[1]);
    for (const cache of [
      'retrieval_cache',
      'syllable_cache',
      'procedure_name_cache',
      'lexical_term_cache',
      'rate_limit_ip_buckets',
      'rate_limit_conversation_buckets',
    ]) {
      for (const suffix of ['hits', 'misses', 'hit_ratio', 'entries', 'capacity'])
        expect(value(`${cache}_${suffix}`), `${cache}_${suffix}`).toBeGreaterThanOrEqual(0);
      expect(value(`${cache}_entries`), cache).toBeGreaterThan(0);
      expect(value(`${cache}_entries`), cache).toBeLessThanOrEqual(value(`${cache}_capacity`));
    }
    // The second asking of the same question is a retrieval cache hit.
    expect(value('retrieval_cache_hits')).toBeGreaterThanOrEqual(1);
    expect(value('retrieval_cache_hit_ratio')).toBeGreaterThan(0);
    expect(value('retrieval_cache_hit_ratio')).toBeCloseTo(
      value('retrieval_cache_hits') / (value('retrieval_cache_hits') + value('retrieval_cache_misses')),
    );
    expect(value('syllable_cache_hit_ratio')).toBeGreaterThan(0);
    // The decoded postings of common terms: a fixed budget (the bundled corpus has no term that common).
    expect(value('lexical_decoded_postings_bytes')).toBeGreaterThanOrEqual(0);
    expect(value('lexical_decoded_terms')).toBeGreaterThanOrEqual(0);
    // Nothing is waiting for the turn gate once the answers are in.
    expect(value('chat_turns_waiting')).toBe(0);
  });
});
