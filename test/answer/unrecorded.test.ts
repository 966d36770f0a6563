import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import { createLlmComposer } from '../../src/answer/llm/llm-composer.js';
import type { Assistant } from '../../src/answer/types.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './llm/fake-openai-server.js';

/**
 * A procedure record as the portal publishes it, with its papers field left empty: a question about
 * the papers is told that the record does not list them and is handed to a person, not answered
 * with the record's summary as if that were the answer.
 */
const RECORD = {
  ma_thu_tuc: '3.000777',
  ten_thu_tuc: 'Công bố mở tuyến thử nghiệm',
  cap_thuc_hien: 'Cấp tỉnh',
  linh_vuc: 'Thử nghiệm',
  doi_tuong_thuc_hien: 'Doanh nghiệp',
  co_quan_thuc_hien: 'Sở Xây dựng',
  trinh_tu_thuc_hien:
    'Bước 1: Sở Xây dựng lập hồ sơ, trình Ủy ban nhân dân tỉnh.\nBước 2: Ủy ban nhân dân tỉnh ban hành quyết định công bố.',
  cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcKhông có thông tin',
  thanh_phan_ho_so: '--',
  can_cu_phap_ly: 'Quyết định thử nghiệm số 1/2026/QĐ-UBND',
  yeu_cau_dieu_kien: 'Không có thông tin',
  ket_qua_xu_ly: 'Quyết định công bố mở tuyến',
};

/** A record whose office fields are empty while its steps name the office. */
const NO_OFFICE = {
  ...RECORD,
  ma_thu_tuc: '3.000778',
  ten_thu_tuc: 'Công nhận tuyến thử nghiệm',
  co_quan_thuc_hien: '',
  trinh_tu_thuc_hien:
    'Bước 1: Doanh nghiệp nộp hồ sơ tại Sở Giao thông thử nghiệm.\nBước 2: Sở xem xét, công nhận.',
  thanh_phan_ho_so: 'Đơn đề nghị công nhận tuyến',
};

/** A record whose papers list is long enough to be indexed as several passages. */
const LONG_PAPERS = {
  ...RECORD,
  ma_thu_tuc: '3.000779',
  ten_thu_tuc: 'Cấp phép tuyến thử nghiệm dài',
  thanh_phan_ho_so:
    'Tên giấy tờMẫu đơn, tờ khaiSố lượng' +
    Array.from(
      { length: 18 },
      (_, i) =>
        `Bản sao giấy tờ chứng minh nội dung số ${i + 1} của hồ sơ đề nghị cấp phép tuyến thử nghiệm, có xác nhận của cơ quan, tổ chức nơi doanh nghiệp đặt trụ sở1 bản chính`,
    ).join(''),
};

let retriever: Retriever;
let store: SqliteStore;
let assistant: Assistant;

beforeAll(async () => {
  const file = 'corpus/procedures/thu-nghiem.jsonl';
  const bytes = Buffer.from([RECORD, NO_OFFICE, LONG_PAPERS].map((r) => JSON.stringify(r)).join('\n'));
  const documents = await loadFile({ path: file, bytes });
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path: file, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    { kind: 'none' },
  );
  retriever = new Retriever(snapshot);
  store = SqliteStore.open(':memory:');
  assistant = createAssistant({
    retriever: () => retriever,
    store,
    handoffContact: 'Tổng đài 1022',
    cacheSize: 0,
  });
});

afterAll(async () => {
  await store.close();
});

const ask = (message: string, conversationId?: string) =>
  assistant.reply({
    message,
    channel: 'web',
    audience: 'public',
    ...(conversationId ? { conversationId } : {}),
  });

describe('a question about a detail the procedure record leaves empty', () => {
  it('asked for the papers of a record that lists none, says so, gives the contact and is not counted as answered', async () => {
    const a = await ask('Thủ tục 3.000777 yêu cầu thành phần hồ sơ gồm những giấy tờ gì?');
    expect(a.grounded).toBe(false);
    expect(a.outcome).toBe('declined');
    expect(a.answer).toMatch(/trên Cổng dịch vụ công không ghi thành phần hồ sơ/u);
    expect(a.answer).toContain(
      'Để biết thành phần hồ sơ của thủ tục này, bạn vui lòng liên hệ: Tổng đài 1022.',
    );
    expect(a.handoff).toBe('Tổng đài 1022');
    expect(a.citations[0]?.sourceId).toBe('3.000777');
  });

  it('asked for the result the same record states, answers it', async () => {
    const a = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Quyết định công bố mở tuyến');
  });

  it('asked "Cơ quan nào thực hiện?" as a follow-up, answers from the office the record names', async () => {
    const first = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    const a = await ask('Cơ quan nào thực hiện?', first.conversationId);
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Sở Xây dựng');
  });

  it('leaves the administrators a gap naming the procedure and the field, even for a bare follow-up', async () => {
    const first = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    await ask('Thế cần những giấy tờ gì?', first.conversationId);
    const gaps = await store.gapReport();
    expect(gaps.map((g) => g.example)).toContain('Thế cần những giấy tờ gì? [3.000777: Thành phần hồ sơ]');
  });

  it('asked for the office of a record that names it only in its steps, quotes the steps (the fitted companion)', async () => {
    const a = await ask('Thủ tục 3.000778 nộp hồ sơ ở cơ quan nào?');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Sở Giao thông thử nghiệm');
  });
});

describe('a question that names the procedure but asks what no field of its record holds', () => {
  it.each([
    ['a fine', 'Thủ tục 3.000777: doanh nghiệp làm chậm thì bị xử phạt bao nhiêu tiền?'],
    ['a share of the costs', 'Thủ tục 3.000777 thì doanh nghiệp được hỗ trợ bao nhiêu phần trăm chi phí?'],
    ['a minimum capital', 'Thủ tục 3.000777 thì vốn điều lệ tối thiểu của doanh nghiệp là bao nhiêu?'],
    ['how often it may be filed', 'thu tuc 3.000777 thi moi doanh nghiep dc de nghi toi da may lan 1 nam?'],
    // As officials write: formal, the amount or period asked "là bao nhiêu" like a fee or a time limit.
    [
      'how long the decision stays valid, formally',
      'Đề nghị cho biết quyết định công bố theo thủ tục 3.000777 có thời hạn hiệu lực bao nhiêu năm?',
    ],
    [
      'a share of the costs, formally',
      'Đề nghị cho biết doanh nghiệp được hỗ trợ tối đa bao nhiêu phần trăm chi phí khi thực hiện thủ tục 3.000777?',
    ],
  ])(
    'asked %s, says the record does not state it, names the procedure and gives the contact',
    async (_, message) => {
      const a = await ask(message);
      expect(a.grounded).toBe(false);
      expect(a.outcome).toBe('declined');
      expect(a.answer).toContain(
        '“Công bố mở tuyến thử nghiệm” (mã 3.000777) trên Cổng dịch vụ công không ghi thông tin bạn hỏi',
      );
      expect(a.answer).toContain('Để biết thông tin này, bạn vui lòng liên hệ: Tổng đài 1022.');
      expect(a.handoff).toBe('Tổng đài 1022');
      expect(a.citations[0]?.sourceId).toBe('3.000777');
    },
  );

  it('leaves the administrators a gap naming the procedure', async () => {
    await ask('Thủ tục 3.000777: doanh nghiệp làm chậm thì bị xử phạt bao nhiêu tiền?');
    const gaps = await store.gapReport();
    expect(gaps.map((g) => g.example)).toContain(
      'Thủ tục 3.000777: doanh nghiệp làm chậm thì bị xử phạt bao nhiêu tiền? [3.000777: thông tin được hỏi]',
    );
  });

  it('asked as a follow-up, says so about the procedure in focus, which stays in focus', async () => {
    const first = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    const a = await ask('moi nam dc lam toi da may lan', first.conversationId);
    expect(a.grounded).toBe(false);
    expect(a.answer).toContain('(mã 3.000777) trên Cổng dịch vụ công không ghi thông tin bạn hỏi');
    const next = await ask('Cơ quan nào thực hiện?', first.conversationId);
    expect(next.grounded).toBe(true);
    expect(next.answer).toContain('Sở Xây dựng');
  });

  it.each([
    'nop tre thi bi phat bn tien',
    'Thế mỗi tháng doanh nghiệp được hỗ trợ bao nhiêu tiền?',
    'So dien thoai cua phong do la so may vay',
    'Phòng đó làm việc đến mấy giờ chiều?',
    // How long the paper stays valid, which no field holds, against how long it takes, which one does.
    'giay do dung duoc trong bao lau vay',
  ])('asked "%s" after an answer, declines it and keeps the procedure in focus', async (message) => {
    const first = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    const a = await ask(message, first.conversationId);
    expect(a.grounded).toBe(false);
    expect(a.outcome).toBe('declined');
    const next = await ask('Cơ quan nào thực hiện?', first.conversationId);
    expect(next.grounded).toBe(true);
    expect(next.answer).toContain('Sở Xây dựng');
  });

  it('told a story with amounts before asking what the record holds, answers the question asked', async () => {
    const a = await ask(
      'Doanh nghiệp tôi vốn điều lệ 10 tỷ, được hỗ trợ 30 phần trăm chi phí. Thủ tục 3.000777 thì kết quả nhận được là gì?',
    );
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Quyết định công bố mở tuyến');
  });

  it.each([
    'Thủ tục 3.000777 thì kết quả nhận được là gì?',
    'Thủ tục 3.000777 do cơ quan nào thực hiện?',
    'Thủ tục 3.000777 có căn cứ pháp lý là văn bản nào?',
    'Thủ tục 3.000777 thì bao lâu có kết quả?',
    // A fee is a field (the channels table), even where this record says "Không có thông tin".
    'Thủ tục 3.000777 có mất lệ phí không, bao nhiêu tiền?',
    'thu tuc 3.000777 co mat tien ko ad',
    'thu tuc 3.000777 nop xong bao lau thi co quyet dinh',
    'Đề nghị cho biết thời hạn giải quyết thủ tục 3.000777 là bao nhiêu ngày?',
    'Theo quy định, doanh nghiệp đề nghị thực hiện thủ tục 3.000777 phải nộp hồ sơ tại cơ quan nào?',
  ])('asked what the record holds in the same words ("%s"), answers it', async (message) => {
    const a = await ask(message);
    expect(a.grounded).toBe(true);
  });
});

describe('with a model that writes answers', () => {
  let server: FakeOpenAiServer;

  beforeAll(async () => {
    server = await startFakeOpenAiServer(() => ({ content: 'Kết quả là quyết định công bố mở tuyến [1].' }));
  });
  afterAll(async () => {
    await server.close();
  });

  /** The assistant over the same index with the fake model writing its answers. */
  async function assistantWithWriter(): Promise<Assistant> {
    const writer = await createLlmComposer({
      baseUrl: server.baseUrl,
      model: 'fake-model',
      timeoutMs: 5000,
      promptsDir: path.resolve('prompts'),
    });
    return createAssistant({
      retriever: () => retriever,
      store,
      handoffContact: 'Tổng đài 1022',
      cacheSize: 0,
      writer,
    });
  }

  it('a record that lacks what was asked is said so in its own words, not sent to the model', async () => {
    const withWriter = await assistantWithWriter();
    const lacking = await withWriter.reply({
      message: 'Thủ tục 3.000777 yêu cầu thành phần hồ sơ gồm những giấy tờ gì?',
      channel: 'web',
      audience: 'public',
    });
    expect(lacking.mode).toBe('extractive');
    expect(lacking.grounded).toBe(false);
    expect(server.requests).toHaveLength(0);
    const answered = await withWriter.reply({
      message: 'Thủ tục 3.000777 thì kết quả nhận được là gì?',
      channel: 'web',
      audience: 'public',
    });
    expect(answered.mode).toBe('generated');
    expect(server.requests).toHaveLength(1);
  });

  it('a papers list indexed as several passages reaches the model whole, as the extractive answer quotes it', async () => {
    const withWriter = await assistantWithWriter();
    const a = await withWriter.reply({
      message: 'Thủ tục 3.000779 cần những giấy tờ gì?',
      channel: 'web',
      audience: 'public',
    });
    expect(a.mode).toBe('generated');
    const prompt = server.requests
      .at(-1)!
      .body.messages.map((m) => m.content)
      .join('\n');
    expect(prompt).toContain('nội dung số 1 của hồ sơ');
    expect(prompt).toContain('nội dung số 18 của hồ sơ');
  });
});
