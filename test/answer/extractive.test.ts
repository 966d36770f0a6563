import { describe, expect, it } from 'vitest';
import { ANSWER_QUOTE_CHARS, composeProcedure, QUOTE_CHARS } from '../../src/answer/extractive.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';
import type { ProcedureField } from '../../src/ingest/types.js';
import { makeDoc } from '../helpers/docs.js';

/** A procedure record with the given fields, one passage each. */
async function procedure(fields: [ProcedureField, string][]) {
  const doc = makeDoc(
    '9.000001',
    'Cấp giấy phép thử nghiệm',
    fields.map(([, text]) => text),
    { kind: 'procedure' },
  );
  doc.chunks.forEach((c, i) => (c.field = fields[i]![0]));
  const snapshot = await IndexSnapshot.build(
    { sources: [], documents: [doc], parent: null },
    { kind: 'none' },
  );
  return { snapshot, meta: doc.meta };
}

describe('extractive procedure answers', () => {
  it('asked for conditions of a record that lists none, says so and quotes who may file', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['doi_tuong', 'Tổ chức, doanh nghiệp có trụ sở trên địa bàn tỉnh.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['dieu_kien']);
    expect(composed.answer).toMatch(/không ghi yêu cầu, điều kiện riêng/u);
    expect(composed.answer).toContain('Tổ chức, doanh nghiệp có trụ sở trên địa bàn tỉnh. [1]');
    expect(composed.citations[0]!.field).toBe('doi_tuong');
  });

  it('asked for conditions of a record that lists them, quotes them without a caveat', async () => {
    const { snapshot, meta } = await procedure([
      ['dieu_kien', 'Có đủ năng lực hành vi dân sự.'],
      ['doi_tuong', 'Công dân Việt Nam.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['dieu_kien']);
    expect(composed.answer).not.toMatch(/không ghi/u);
    expect(composed.answer).toContain('Có đủ năng lực hành vi dân sự. [1]');
    expect(composed.citations[0]!.field).toBe('dieu_kien');
  });

  it('asked for papers a record leaves empty, says the record does not list them and is marked unrecorded', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['co_quan', 'Sở Khoa học và Công nghệ.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['ho_so'], { ho_so: 'general' });
    expect(composed.answer).toMatch(/trên Cổng dịch vụ công không ghi thành phần hồ sơ/u);
    expect(composed.unrecorded).toBe(true);
  });

  it('asked two fields of which the record holds one, answers that one and is not marked unrecorded', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['co_quan', 'Sở Khoa học và Công nghệ.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['ho_so', 'co_quan']);
    expect(composed.answer).toContain('Sở Khoa học và Công nghệ.');
    expect(composed.unrecorded).toBeUndefined();
  });

  it('asked for the office of a record that names it only in the steps, quotes the steps and is not marked unrecorded', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['trinh_tu', 'Bước 1: Nộp hồ sơ tại Sở Khoa học và Công nghệ.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['co_quan'], { co_quan: 'trinh_tu' });
    expect(composed.answer).toContain('Bước 1: Nộp hồ sơ tại Sở Khoa học và Công nghệ.');
    expect(composed.unrecorded).toBeUndefined();
  });

  it('asked for a fee the channels table does not give, says so but is not marked unrecorded (descriptions may state it)', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['cach_thuc', '- Trực tiếp: thời hạn 10 ngày làm việc\nKhông thu tiền đối với hộ nghèo.'],
    ]);
    const composed = composeProcedure(snapshot, meta, ['phi'], { phi: 'cach_thuc' });
    expect(composed.answer).toMatch(/không ghi phí, lệ phí/u);
    expect(composed.unrecorded).toBeUndefined();
  });

  it('asked for the time and the fee of a record whose table states neither, says so and quotes the channels once', async () => {
    const { snapshot, meta } = await procedure([
      ['general', 'Cấp giấy phép thử nghiệm cho tổ chức.'],
      ['cach_thuc', '- Trực tiếp: Thời hạn giải quyết: trong thời hạn 15 ngày, kể từ ngày nhận đủ hồ sơ.'],
    ]);
    const time = composeProcedure(snapshot, meta, ['thoi_han']);
    expect(time.answer).toMatch(/không ghi thời hạn giải quyết/u);
    expect(time.answer).toContain('trong thời hạn 15 ngày, kể từ ngày nhận đủ hồ sơ.');
    const composed = composeProcedure(snapshot, meta, ['thoi_han', 'phi']);
    expect(composed.answer).toMatch(/không ghi phí, lệ phí/u);
    expect(composed.answer.match(/trong thời hạn 15 ngày/gu)).toHaveLength(1);
    expect(composed.citations.map((c) => c.field)).toEqual(['cach_thuc']);
  });

  it('asked for papers, quotes a list the record gives in two passages whole, a paper cut between them as one line', async () => {
    const { snapshot, meta } = await procedure([
      ['ho_so', 'Thành phần hồ sơ:\n- Đơn đề nghị cấp giấy phép (Mẫu số 01): 1 bản chính\n- Bản sao giấy'],
      [
        'ho_so',
        'Thành phần hồ sơ (tiếp):\nchứng nhận đăng ký doanh nghiệp: 1 bản sao\n- Phương án thử nghiệm: 1 bản chính',
      ],
    ]);
    const composed = composeProcedure(snapshot, meta, ['ho_so']);
    expect(composed.answer).toContain(
      '- Đơn đề nghị cấp giấy phép (Mẫu số 01): 1 bản chính\n- Bản sao giấy chứng nhận đăng ký doanh nghiệp: 1 bản sao\n- Phương án thử nghiệm: 1 bản chính [1]',
    );
    expect(composed.answer).not.toContain('(tiếp)');
    expect(composed.citations).toHaveLength(1);
  });

  it('asked two fields, the first a long list, quotes the list up to the answer room and the second at least its own share', async () => {
    const item = (i: number) =>
      `- Giấy tờ thứ ${i} kèm theo hồ sơ đề nghị cấp giấy phép thử nghiệm: 1 bản chính`;
    const papers = Array.from({ length: 120 }, (_, i) => item(i + 1)).join('\n');
    const steps = Array.from(
      { length: 40 },
      (_, i) => `Bước ${i + 1}: Sở Khoa học và Công nghệ xem xét hồ sơ.`,
    ).join('\n');
    const { snapshot, meta } = await procedure([
      ['ho_so', papers],
      ['trinh_tu', steps],
    ]);
    const composed = composeProcedure(snapshot, meta, ['ho_so', 'trinh_tu']);
    const [listPart, stepsPart] = composed.answer.split('\n\nTrình tự thực hiện');
    // More of the list than one passage's worth, cut at a paper and pointing on with "…".
    expect(listPart!.length).toBeGreaterThan(QUOTE_CHARS * 2);
    expect(listPart!.length).toBeLessThan(ANSWER_QUOTE_CHARS + 200);
    expect(listPart).toMatch(/: 1 bản chính\n…\n\(Nội dung còn tiếp, xem đầy đủ tại nguồn \[1\]\.\)$/u);
    expect(stepsPart).toContain('Bước 1: Sở Khoa học và Công nghệ xem xét hồ sơ.');
    expect(stepsPart!.length).toBeGreaterThan(QUOTE_CHARS - 100);
  });

  it('asked for the papers of a national record longer than one passage, quotes the last paper too', async () => {
    const papers = Array.from(
      { length: 18 },
      (_, i) =>
        `Bản sao giấy tờ chứng minh nội dung số ${i + 1} của hồ sơ đề nghị cấp giấy phép thử nghiệm, có xác nhận của cơ quan, tổ chức nơi người đề nghị đang làm việc hoặc cư trú1 bản chính`,
    ).join('');
    const record = {
      ma_thu_tuc: '3.000779',
      ten_thu_tuc: 'Cấp giấy phép thử nghiệm dài',
      cap_thuc_hien: 'Cấp tỉnh',
      linh_vuc: 'Thử nghiệm',
      doi_tuong_thuc_hien: 'Doanh nghiệp',
      co_quan_thuc_hien: 'Sở Khoa học và Công nghệ',
      trinh_tu_thuc_hien: 'Bước 1: Nộp hồ sơ tại Sở Khoa học và Công nghệ.',
      cach_thuc_thuc_hien: 'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcKhông có thông tin',
      thanh_phan_ho_so: `Tên giấy tờMẫu đơn, tờ khaiSố lượng${papers}`,
      can_cu_phap_ly: 'Quyết định thử nghiệm số 1/2026/QĐ-UBND',
      ket_qua_xu_ly: 'Giấy phép thử nghiệm',
    };
    const file = 'corpus/procedures/thu-nghiem-dai.jsonl';
    const documents = await loadFile({ path: file, bytes: Buffer.from(JSON.stringify(record)) });
    const doc = documents[0]!;
    // The national portal's list is indexed as several passages…
    expect(doc.chunks.filter((c) => c.field === 'ho_so').length).toBeGreaterThan(1);
    const snapshot = await IndexSnapshot.build(
      { sources: [{ path: file, fileHash: '', documentIds: [doc.meta.id] }], documents, parent: null },
      { kind: 'none' },
    );
    // …and answered as one list.
    const composed = composeProcedure(snapshot, doc.meta, ['ho_so']);
    expect(composed.answer).toContain('nội dung số 1 của hồ sơ');
    expect(composed.answer).toContain('nội dung số 18 của hồ sơ');
    expect(composed.answer).not.toContain('…');
  });
});
