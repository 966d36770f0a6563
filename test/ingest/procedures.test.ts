import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { cleanProcedureRecord } from '../../src/ingest/procedure/clean-record.js';
import { parsePapers } from '../../src/ingest/procedure/papers.js';
import { loadProcedures } from '../../src/ingest/procedure/procedures-loader.js';
import { loadFile } from '../../src/ingest/registry.js';

const DATA = fileURLToPath(new URL('../../../shared/datasets/tthc/procedures.jsonl', import.meta.url));
const present = existsSync(DATA);
if (!present)
  console.warn(
    `skipping real-record tests: ${DATA} not found (the shared datasets folder sits beside the checkout)`,
  );

function record(code: string): Record<string, unknown> {
  const line = readFileSync(DATA, 'utf8')
    .split('\n')
    .find((l) => l.includes(`"ma_thu_tuc": "${code}"`));
  if (line === undefined) throw new Error(`record ${code} not in ${DATA}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe.skipIf(!present)('national procedure records (real data from datasets/tthc)', () => {
  it('splits a three-channel table with its fee and keeps the fee wording', () => {
    const fee =
      '2,000,000 Việt Nam Đồng (Phí kiểm tra và cấp giấy chứng nhận đơn hàng nhập khẩu thuốc, nguyên liệu làm thuốc thú y, thuốc thú y thủy sản (trừ các đơn hàng nhập khẩu để làm mẫu nghiên cứu, khảo nghiệm, kiểm nghiệm, phi mậu dịch): 2.000.000 đồng/01 đơn hàng)';
    expect(cleanProcedureRecord(record('1.011325')).channels).toEqual([
      { channel: 'Trực tuyến', time: '5 Ngày làm việc', fee, description: '' },
      { channel: 'Dịch vụ bưu chính', time: '5 Ngày làm việc', fee, description: '' },
      { channel: 'Trực tiếp', time: '5 Ngày làm việc', fee, description: '' },
    ]);
  });

  it('quotes "Miễn phí" together with the fee and exemptions the record lists', () => {
    const info = cleanProcedureRecord(record('1.000656'));
    expect(info.channels[0]?.fee).toMatch(
      /^Miễn phí \(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định\. Miễn lệ phí đối với trường hợp đăng ký khai tử đúng hạn, người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết tật\./u,
    );
    expect(cleanProcedureRecord(record('3.000340')).channels[2]).toEqual({
      channel: 'Trực tiếp',
      time: '12 Ngày',
      fee: 'Miễn phí (Cho một loại hình sản phẩm hoặc dịch vụ: 8.000.000/lần; thêm một loại hình sản phẩm hoặc dịch vụ: 2.000.000/lần.)',
      description: '',
    });
  });

  it('takes the unit-bearing time from the steps when the table lost the unit ("Trực tuyến5")', () => {
    expect(
      cleanProcedureRecord(record('1.004694')).channels.map((c) => [c.channel, c.time, c.timeUnitMissing]),
    ).toEqual([
      ['Trực tuyến', '05 ngày làm việc', undefined],
      ['Dịch vụ bưu chính', '05 ngày làm việc', undefined],
      ['Trực tiếp', '05 ngày làm việc', undefined],
    ]);
  });

  it('keeps a bare number and marks it when no unit can be found; never shows a truncated "20 VNĐ" as the fee', () => {
    const info = cleanProcedureRecord(record('1.000014'));
    expect(info.channels[0]).toEqual({
      channel: 'Trực tuyến',
      time: '1',
      fee: '20 VNĐ (20.000 vnđ /tờ khai)',
      description: '',
      timeUnitMissing: true,
      feeSuspect: true,
    });
    const [doc] = loadProcedures(
      'procedures.jsonl',
      readFileSync(DATA, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"ma_thu_tuc": "1.000014"'))
        .join('\n'),
    );
    const phi = doc?.chunks.find((c) => c.field === 'phi');
    expect(phi?.text).toBe(
      'Phí, lệ phí:\n- Trực tuyến, Trực tiếp: 20.000 vnđ /tờ khai (cổng dịch vụ công ghi "20 VNĐ")',
    );
    expect(doc?.chunks.find((c) => c.field === 'thoi_han')?.text).toBe(
      'Thời hạn giải quyết:\n- Trực tuyến, Trực tiếp: 1 (cổng dịch vụ công không ghi đơn vị)',
    );
  });

  it('drops the portal boilerplate after the result and the result codes', () => {
    expect(cleanProcedureRecord(record('1.001193')).result).toBe('Giấy khai sinh');
    expect(cleanProcedureRecord(record('1.007664')).result).toBe(
      'Thực hiện miễn thuế theo quy định\nThông báo lý do không thuộc diện được miễn thuế, thu thuế và xử phạt vi phạm (nếu có) theo quy định',
    );
  });

  it('repairs the papers and legal-basis tables', () => {
    const info = cleanProcedureRecord(record('1.000823'));
    expect(info.papers[0]).toEqual({
      name: 'Đơn đề nghị chuyển đổi Giấy phép theo Mẫu số 08 quy định tại Phụ lục II ban hành kèm theo Nghị định số 121/2021/NĐ-CP ngày 27/12/2021;',
      quantity: '1 bản chính',
      form: 'Mus08.docx',
    });
    expect(cleanProcedureRecord(record('1.000178')).legalBasis).toBe(
      [
        'Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công tác giải quyết khiếu nại trong công an nhân dân – 68/2013/TT-BCA',
        'Luật Khiếu nại năm 2011 – 02/2011/QH13',
        'Quy định quy trình giải quyết khiếu nại trong công an nhân dân – 11/2015/TT-BCA',
        'Nghị định 05/2012/NĐ-CP',
      ].join('\n'),
    );
  });

  it('gives one chunk per field with field-precise citations', () => {
    const [doc] = loadProcedures('procedures.jsonl', JSON.stringify(record('1.001193')));
    expect(doc?.meta).toMatchObject({
      id: '1.001193',
      kind: 'procedure',
      title: 'Thủ tục đăng ký khai sinh',
      audience: 'public',
      status: 'con_hieu_luc',
    });
    expect(doc?.meta.url).toMatch(/^https:\/\/dichvucong\.gov\.vn\//u);
    // The record says "Không có thông tin" for conditions and agencies, so those fields get no chunk.
    expect([...new Set(doc?.chunks.map((c) => c.field))]).toEqual([
      'general',
      'trinh_tu',
      'cach_thuc',
      'phi',
      'thoi_han',
      'ho_so',
      'can_cu',
      'ket_qua',
      'doi_tuong',
    ]);
    // Long fields (here the steps) are cut into pieces that keep the field and its citation.
    const steps = doc?.chunks.filter((c) => c.field === 'trinh_tu') ?? [];
    expect(steps.map((c) => c.id).slice(0, 2)).toEqual(['1.001193#trinh_tu', '1.001193#trinh_tu.p2']);
    expect(steps.every((c) => c.text.length <= 3100 && c.citation.endsWith('· Trình tự thực hiện'))).toBe(
      true,
    );
    const phi = doc?.chunks.find((c) => c.field === 'phi');
    expect(phi).toMatchObject({
      id: '1.001193#phi',
      docId: '1.001193',
      heading: 'Thủ tục đăng ký khai sinh',
      citation: 'Thủ tục 1.001193 – Thủ tục đăng ký khai sinh · Phí, lệ phí',
      breadcrumb: ['Thủ tục 1.001193 – Thủ tục đăng ký khai sinh', 'Phí, lệ phí'],
    });
  });

  it('loads all 2,642 real records, each with a general chunk and field chunks', async () => {
    const docs = await loadFile({ path: DATA, bytes: new Uint8Array(readFileSync(DATA)) });
    expect(docs).toHaveLength(2642);
    expect(new Set(docs.map((d) => d.meta.id)).size).toBe(2642);
    expect(docs.every((d) => d.chunks.length >= 2 && d.chunks[0]?.field === 'general')).toBe(true);
  });
});

describe('the flattened papers table', () => {
  it('tells a form named after its paper from the paper when the table glued them ("… theo mẫu quy địnhTờ khai …")', () => {
    const header = 'Tên giấy tờMẫu đơn, tờ khaiSố lượng';
    const { rows, text } = parsePapers(
      `* Giấy tờ phải nộp:${header}Tờ khai đăng ký khai sinh theo mẫu quy địnhTờ khai đăng ký khai sinh1 bản chínhGiấy chứng sinh1 bản chính`,
    );
    expect(rows[0]).toEqual({
      name: 'Tờ khai đăng ký khai sinh theo mẫu quy định',
      quantity: '1 bản chính',
      form: 'Tờ khai đăng ký khai sinh',
    });
    expect(text).toContain(
      '- Tờ khai đăng ký khai sinh theo mẫu quy định (mẫu: Tờ khai đăng ký khai sinh): 1 bản chính',
    );
    const bracket = parsePapers(
      `${header}Tờ khai đăng ký kết hôn theo mẫu quy định (hai bên có thể dùng chung một tờ khai)Tờ khai đăng ký kết hôn1 bản chính`,
    );
    expect(bracket.rows[0]?.form).toBe('Tờ khai đăng ký kết hôn');
    // A brand written in one word, or another paper glued on, is no form.
    const brands = parsePapers(
      `${header}Danh sách các tổ chức thẻ quốc tế (gồm: Visa, MasterCard, JCB)1 bản chính`,
    );
    expect(brands.rows[0]?.form).toBe('');
    const glued = parsePapers(`${header}Bản sao quyết định thành lậpBáo cáo tình hình hoạt động1 bản chính`);
    expect(glued.rows[0]?.form).toBe('');
  });
});

describe('procedure JSON Lines errors', () => {
  const rec = (code: string): string =>
    JSON.stringify({
      ma_thu_tuc: code,
      ten_thu_tuc: `Thủ tục ${code}`,
      cach_thuc_thuc_hien:
        'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcLệ phí : 8.000 Đồng',
    });

  it('names the file and line of a malformed line, and indexes nothing from it', async () => {
    const text = [
      rec('1.000001'),
      rec('1.000002'),
      '{"ma_thu_tuc": "1.000003", "ten_thu_tuc": ',
      rec('1.000004'),
    ].join('\n');
    const err = await loadFile({ path: 'corpus/tthc.jsonl', bytes: Buffer.from(text) }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('json_malformed');
    expect((err as AppError).message).toMatch(/^corpus\/tthc\.jsonl: line 3 is not valid JSON/u);
  });

  it('rejects a record without ma_thu_tuc with its line number', () => {
    expect(() =>
      loadProcedures('p.jsonl', [rec('1.000001'), '{"ma_thu_tuc": "", "ten_thu_tuc": "X"}'].join('\n')),
    ).toThrow(
      expect.objectContaining({
        code: 'record_invalid',
        message: expect.stringContaining('p.jsonl: line 2 has no ma_thu_tuc'),
      }),
    );
  });

  it('keeps the first of duplicated codes and notes the duplicate', () => {
    const docs = loadProcedures('p.jsonl', [rec('1.000001'), rec('1.000002'), rec('1.000001')].join('\n'));
    expect(docs.map((d) => d.meta.id)).toEqual(['1.000001', '1.000002']);
    expect(docs[0]?.warnings).toEqual([
      'line 3 repeats procedure 1.000001 (first on line 1); kept the first',
    ]);
  });
});

describe('channel table shapes', () => {
  it('reads labelled fees and several rows', async () => {
    const { parseChannels } = await import('../../src/ingest/procedure/channels.js');
    const raw =
      'Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp5 Ngày làm việcLệ phí : 8.000 ĐồngNộp tại Bộ phận một cửa.Dịch vụ bưu chính7 Ngày làm việcPhí : 0 ĐồngGửi qua bưu điện.';
    expect(parseChannels(raw).rows).toEqual([
      {
        channel: 'Trực tiếp',
        time: '5 Ngày làm việc',
        fee: 'Lệ phí : 8.000 Đồng',
        description: 'Nộp tại Bộ phận một cửa.',
      },
      {
        channel: 'Dịch vụ bưu chính',
        time: '7 Ngày làm việc',
        fee: 'Phí : 0 Đồng',
        description: 'Gửi qua bưu điện.',
      },
    ]);
  });
});
