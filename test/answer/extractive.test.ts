import { describe, expect, it } from 'vitest';
import { composeProcedure } from '../../src/answer/extractive.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
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
});
