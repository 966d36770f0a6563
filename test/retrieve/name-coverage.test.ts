import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NAME_COVERAGE,
  lacksAskedOperation,
  nameLevels,
  nameProfile,
  otherLevel,
  questionLevels,
  rerankByNameCoverage,
} from '../../src/retrieve/name-coverage.js';
import { analyzeQuery } from '../../src/retrieve/query.js';

/** The folded words and pairs of a question, as the retriever matches names against them. */
const subject = (q: string) => new Set(analyzeQuery(q, null).subjectTerms);
const name = (n: string) => nameProfile(n, 1000, () => 10);

describe('a question that asks for an operation in so many words', () => {
  it.each([
    [
      'Mất cà vẹt xe máy, ra công an xã làm lại thì cần gì?',
      'Cấp lại chứng nhận đăng ký xe, biển số xe',
      false,
    ],
    [
      'Mất cà vẹt xe máy, ra công an xã làm lại thì cần gì?',
      'Cấp chứng nhận đăng ký xe, biển số xe trong trường hợp thay đổi chủ xe',
      true,
    ],
    ['dang ky tam tru sap het roi, phai gia han truoc may ngay', 'Gia hạn tạm trú', false],
    ['dang ky tam tru sap het roi, phai gia han truoc may ngay', 'Đăng ký tạm trú', true],
    ['Ông nội mất rồi, muốn xóa thường trú cho ông', 'Xóa đăng ký thường trú', false],
    ['Ông nội mất rồi, muốn xóa thường trú cho ông', 'Đăng ký thường trú', true],
    // The operation may come after the first syllables of a name.
    ['cty muon tam ngung kinh doanh 1 nam', 'Thông báo tạm ngừng kinh doanh', false],
    // "lại" alone asks for nothing: "phần còn lại", "ở lại".
    ['Phần đất còn lại chưa có sổ đỏ thì làm thế nào?', 'Đăng ký đất đai lần đầu', false],
    ['Tôi được ở lại căn nhà cũ, muốn tách hộ', 'Tách hộ', false],
    // "lái" folds to the "lại" of re-issuing: a driving licence is not issued again for that.
    ['Bằng lái bị mất, xin cấp lại thế nào?', 'Cấp giấy phép lái xe', true],
  ])('"%s" against "%s": lacks the operation asked = %s', (q, n, lacks) => {
    expect(lacksAskedOperation(name(n), subject(q))).toBe(lacks);
  });

  it('puts the procedure that does it before a sibling that does something else', () => {
    const question = subject('Giấy phép lái xe bị mất, xin cấp lại thì cần giấy tờ gì?');
    const names = ['Cấp giấy phép lái xe', 'Cấp lại giấy phép lái xe'];
    const fused = names.map((_, doc) => ({
      doc,
      score: 1 - doc * 0.05,
      lexicalRank: doc + 1,
      vectorRank: null,
    }));
    const match = (doc: number) => {
      const profile = name(names[doc]!);
      const terms = profile.terms;
      const total = terms.reduce((s, t) => s + t.idf, 0);
      const covered = terms.filter((t) => question.has(t.term)).reduce((s, t) => s + t.idf, 0);
      return {
        share: covered / total,
        missesOperation: false,
        lacksAskedOperation: lacksAskedOperation(profile, question),
        otherLevel: false,
      };
    };
    expect(
      rerankByNameCoverage(fused, match, { ...DEFAULT_NAME_COVERAGE, askedOperationPenalty: 0 })[0]!.doc,
    ).toBe(0);
    expect(rerankByNameCoverage(fused, match, DEFAULT_NAME_COVERAGE)[0]!.doc).toBe(1);
  });
});

describe('a question that names where it files', () => {
  it.each([
    ['Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp tỉnh)', ['tinh']],
    ['Cấp thẻ căn cước cho người dưới 14 tuổi (cấp xã)', ['xa']],
    ['Cấp hộ chiếu phổ thông ở trong nước (thực hiện tại cấp trung ương)', ['tw']],
    ['Cấp giấy phép (trừ trường hợp cấp phép dịch vụ)', []],
    ['Thủ tục đăng ký khai sinh', []],
  ])('"%s" is done at %j', (n, levels) => {
    expect(nameLevels(n)).toEqual(levels);
  });

  it.each([
    ['Em làm mất CCCD, ra công an phường làm lại thì tốn bao nhiêu?', ['xa']],
    ['lam ho chieu o phong XNC cong an tinh may ngay co', ['tinh']],
    ['Giấy phép thuộc thẩm quyền của Bộ thì cần điều kiện gì?', ['tw']],
    // Typed without diacritics, "so" is số as often as sở, and "tinh" is tính or tình.
    ['so cmnd cu va so dinh danh, xin giay xac nhan tinh trang hon nhan', []],
    ['Làm giấy xác nhận tình trạng hôn nhân mất mấy ngày?', []],
  ])('"%s" names %j', (q, levels) => {
    const a = analyzeQuery(q, null);
    expect(questionLevels(a.normalized, a.withoutDiacritics)).toEqual(levels);
  });

  it('ranks a variant done at another level than the question names lower, and only then', () => {
    expect(otherLevel(['tw'], ['tinh'])).toBe(true);
    expect(otherLevel(['tinh'], ['tinh'])).toBe(false);
    expect(otherLevel(['tinh', 'xa'], ['xa'])).toBe(false);
    expect(otherLevel([], ['xa'])).toBe(false);
    expect(otherLevel(['tinh'], [])).toBe(false);
  });
});
