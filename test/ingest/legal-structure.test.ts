import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLegalDocument } from '../../src/ingest/legal/legal-document.js';
import { parseLegalStructure } from '../../src/ingest/legal/structure.js';
import { chunkLongText } from '../../src/ingest/legal/long-text.js';

const fixture = readFileSync(new URL('../fixtures/nghi-dinh-123-2015.txt', import.meta.url), 'utf8');
const doc = buildLegalDocument({ path: 'corpus/nghi-dinh-123-2015.txt', pages: [fixture], paged: false });
const byId = new Map(doc.chunks.map((c) => [c.id, c]));
const TITLE = 'Nghị định 123/2015/NĐ-CP quy định chi tiết một số điều và biện pháp thi hành Luật Hộ tịch';

describe('a Nghị định is read into metadata, structure and citable chunks', () => {
  it('reads number, type, issuer, dates and title from the header', () => {
    expect(doc.meta).toMatchObject({
      id: '123/2015/NĐ-CP',
      kind: 'legal',
      number: '123/2015/NĐ-CP',
      docType: 'Nghị định',
      issuer: 'CHÍNH PHỦ',
      signedDate: '2015-11-15',
      effectiveDate: '2016-01-01',
      title: TITLE,
      status: 'con_hieu_luc',
      audience: 'public',
      source: 'corpus/nghi-dinh-123-2015.txt',
    });
  });

  it('chunks at the Điều, splits the long Điều 9 by Khoản and its long Khoản 2 by Điểm (a … đ)', () => {
    expect(doc.chunks.map((c) => c.id)).toEqual([
      '123/2015/NĐ-CP#preamble',
      '123/2015/NĐ-CP#d1',
      '123/2015/NĐ-CP#d2',
      '123/2015/NĐ-CP#d3',
      '123/2015/NĐ-CP#d9.k1',
      '123/2015/NĐ-CP#d9.k2.a',
      '123/2015/NĐ-CP#d9.k2.b',
      '123/2015/NĐ-CP#d9.k2.c',
      '123/2015/NĐ-CP#d9.k2.d',
      '123/2015/NĐ-CP#d9.k2.đ',
      '123/2015/NĐ-CP#d9.k3',
      '123/2015/NĐ-CP#d10',
      '123/2015/NĐ-CP#d11',
      '123/2015/NĐ-CP#closing',
    ]);
    expect(doc.chunks.map((c) => c.ordinal)).toEqual(doc.chunks.map((_, i) => i));
  });

  it('cites in Vietnamese order with breadcrumb and heading', () => {
    const a = byId.get('123/2015/NĐ-CP#d9.k2.a');
    expect(a?.citation).toBe('Điểm a khoản 2 Điều 9 Nghị định 123/2015/NĐ-CP');
    expect(a?.breadcrumb).toEqual([
      '123/2015/NĐ-CP',
      'Chương II. ĐĂNG KÝ KHAI SINH VÀ KẾT HÔN',
      'Mục 1. ĐĂNG KÝ KHAI SINH',
      'Điều 9. Đăng ký khai sinh cho trẻ em bị bỏ rơi',
      'Khoản 2',
      'Điểm a',
    ]);
    expect(a?.heading).toBe(`${TITLE} · Điều 9. Đăng ký khai sinh cho trẻ em bị bỏ rơi`);
    expect(a).toMatchObject({
      article: '9',
      clause: '2',
      point: 'a',
      chapter: 'Chương II. ĐĂNG KÝ KHAI SINH VÀ KẾT HÔN',
      section: 'Mục 1. ĐĂNG KÝ KHAI SINH',
    });
    expect(byId.get('123/2015/NĐ-CP#d9.k1')?.citation).toBe('Khoản 1 Điều 9 Nghị định 123/2015/NĐ-CP');
    expect(byId.get('123/2015/NĐ-CP#d1')?.citation).toBe('Điều 1 Nghị định 123/2015/NĐ-CP');
    expect(byId.get('123/2015/NĐ-CP#d1')?.breadcrumb).toEqual([
      '123/2015/NĐ-CP',
      'Chương I. NHỮNG QUY ĐỊNH CHUNG',
      'Điều 1. Phạm vi điều chỉnh',
    ]);
  });

  it('repeats the Khoản lead-in sentence in each Điểm piece, and "đ)" is a Điểm', () => {
    const lead = '2. Biên bản xác nhận việc trẻ bị bỏ rơi phải ghi rõ các nội dung sau đây:';
    for (const p of ['a', 'b', 'c', 'd', 'đ'])
      expect(byId.get(`123/2015/NĐ-CP#d9.k2.${p}`)?.text.startsWith(`${lead}\n${p})`)).toBe(true);
  });

  it('removes footnote markers like "[1]" from headings', () => {
    expect(byId.get('123/2015/NĐ-CP#d2')?.text.split('\n')[0]).toBe(
      'Điều 2. Giấy tờ nộp, xuất trình khi đăng ký hộ tịch',
    );
    expect(
      doc.chunks.some((c) => /\[\d\]/u.test(c.heading) || c.breadcrumb.some((b) => /\[\d\]/u.test(b))),
    ).toBe(false);
  });

  it('does not take a wrapped mid-sentence "Điều 9 Luật Hộ tịch" for a heading', () => {
    const d2 = byId.get('123/2015/NĐ-CP#d2');
    expect(d2?.text).toContain(
      '3. Giấy tờ chứng minh nơi cư trú quy định tại\nĐiều 9 Luật Hộ tịch được xuất trình',
    );
    expect(
      doc.chunks
        .filter((c) => c.article === '9')
        .every((c) => c.heading.endsWith('Điều 9. Đăng ký khai sinh cho trẻ em bị bỏ rơi')),
    ).toBe(true);
  });

  it('keeps lines that start with dates inside their Khoản', () => {
    const tree = parseLegalStructure(fixture);
    const d3 = tree.articles.find((a) => a.number === '3');
    expect(d3?.clauses.map((c) => c.number)).toEqual(['1', '2']);
    expect(d3?.clauses[0]?.lead.map((l) => l.text)).toEqual([
      '1. Cơ sở dữ liệu hộ tịch điện tử được áp dụng theo các mốc thời gian sau:',
      '01.01.2016 đối với các tỉnh, thành phố trực thuộc trung ương thực hiện thí điểm;',
      '15/11/2015 là ngày Nghị định này được ký ban hành.',
    ]);
  });

  it('keeps a numbered list inside a Điểm in that Điểm', () => {
    const d10 = parseLegalStructure(fixture).articles.find((a) => a.number === '10');
    expect(d10?.clauses.map((c) => c.number)).toEqual(['1', '2', '3', '4']);
    expect(d10?.clauses[2]?.points.map((p) => [p.label, p.lines.length])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
  });
});

describe('structure pitfalls', () => {
  it('reads Phần, Chương, Mục and Tiểu mục and a law cited by name', () => {
    const text = [
      'QUỐC HỘI',
      'Luật số: 60/2014/QH13',
      '',
      'LUẬT',
      'HỘ TỊCH',
      '',
      'Phần thứ nhất',
      'QUY ĐỊNH CHUNG',
      'Chương I',
      'PHẠM VI',
      'Mục 1',
      'GIẢI THÍCH',
      'Tiểu mục 1',
      'TỪ NGỮ',
      'Điều 4. Giải thích từ ngữ',
      '1. Hộ tịch là những sự kiện được quy định tại Luật này.',
    ].join('\n');
    const d = buildLegalDocument({ path: 'luat.txt', pages: [text], paged: false });
    expect(d.meta).toMatchObject({
      id: '60/2014/QH13',
      docType: 'Luật',
      title: 'Luật Hộ tịch',
      issuer: 'QUỐC HỘI',
    });
    const c = d.chunks.find((x) => x.article === '4');
    expect(c?.citation).toBe('Điều 4 Luật Hộ tịch');
    expect(c?.breadcrumb).toEqual([
      '60/2014/QH13',
      'Phần thứ nhất. QUY ĐỊNH CHUNG',
      'Chương I. PHẠM VI',
      'Mục 1. GIẢI THÍCH',
      'Tiểu mục 1. TỪ NGỮ',
      'Điều 4. Giải thích từ ngữ',
    ]);
  });

  it('does not take a smaller article number after a sentence break for a heading', () => {
    const tree = parseLegalStructure(
      'Điều 7. Quyền\n1. Theo quy định tại\nĐiều 5. của Luật này, công dân có quyền.\nĐiều 8. Nghĩa vụ\nNội dung.',
    );
    expect(tree.articles.map((a) => a.number)).toEqual(['7', '8']);
  });

  it('falls back to paragraph chunks of at most 1,000 characters for unstructured text', () => {
    const para = 'Câu văn hành chính có dấu tiếng Việt. '.repeat(20).trim();
    const pieces = chunkLongText([para, para, para, para].join('\n\n'));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.text.length <= 1000)).toBe(true);
    const d = buildLegalDocument({ path: 'thong-bao.txt', pages: [[para, para].join('\n\n')], paged: false });
    expect(d.meta.id).toBe('thong-bao');
    expect(d.chunks.map((c) => c.id)).toEqual(['thong-bao#p1', 'thong-bao#p2']);
  });
});
