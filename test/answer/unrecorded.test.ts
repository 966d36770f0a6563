import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import type { Assistant } from '../../src/answer/types.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

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

let store: SqliteStore;
let assistant: Assistant;

beforeAll(async () => {
  const path = 'corpus/procedures/thu-nghiem.jsonl';
  const documents = await loadFile({ path, bytes: Buffer.from(`${JSON.stringify(RECORD)}\n`) });
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    { kind: 'none' },
  );
  store = SqliteStore.open(':memory:');
  assistant = createAssistant({
    retriever: () => new Retriever(snapshot),
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
    expect(a.answer).toMatch(/không có thông tin về thành phần hồ sơ/u);
    expect(a.answer).toContain('Tổng đài 1022');
    expect(a.handoff).toBe('Tổng đài 1022');
    expect(a.citations[0]?.sourceId).toBe('3.000777');
  });

  it('asked for the result the same record states, answers it', async () => {
    const a = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Quyết định công bố mở tuyến');
  });

  it('asked "nộp hồ sơ ở đâu" as a follow-up, answers from the office the record names', async () => {
    const first = await ask('Thủ tục 3.000777 thì kết quả nhận được là gì?');
    const a = await ask('Cơ quan nào thực hiện?', first.conversationId);
    expect(a.grounded).toBe(true);
    expect(a.answer).toContain('Sở Xây dựng');
  });
});
