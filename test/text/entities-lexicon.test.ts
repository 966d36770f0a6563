import { describe, expect, it } from 'vitest';
import {
  baseProcedureCode,
  canonicalDocumentNumber,
  compileLexicon,
  DiacriticRestorer,
  documentNumberKey,
  expandAbbreviations,
  expandQuery,
  findDates,
  findDocumentNumbers,
  findMoney,
  findProcedureCodes,
  fold,
} from '../../src/text/index.js';

describe('entity recognisers', () => {
  it('finds document numbers in every official shape, whatever the case the user typed', () => {
    const text =
      'Căn cứ 123/2015/nd-cp, 01/2022/TT-BTP, 119/QĐ-UBND, 49-NQ/TU, 03/VBHN-VPQH và Luật số 59/2020/QH14';
    expect(findDocumentNumbers(text).map((m) => m.canonical)).toEqual([
      '123/2015/ND-CP',
      '01/2022/TT-BTP',
      '119/QĐ-UBND',
      '49-NQ/TU',
      '03/VBHN-VPQH',
      '59/2020/QH14',
    ]);
    expect(canonicalDocumentNumber('123/2015/nđ-cp')).toBe('123/2015/NĐ-CP');
    expect(canonicalDocumentNumber('không phải số hiệu')).toBeNull();
  });

  it('matches a number typed without đ or leading zeros to the official one', () => {
    expect(documentNumberKey('123/2015/nd-cp')).toBe(documentNumberKey('123/2015/NĐ-CP'));
    expect(documentNumberKey('1/2022/tt-btp')).toBe(documentNumberKey('01/2022/TT-BTP'));
  });

  it('does not take fractions or ordinary slashes for document numbers', () => {
    expect(findDocumentNumbers('2/3 số thành viên; 1/2 ngày; hồ sơ/lệ phí')).toEqual([]);
  });

  it('reads procedure codes with and without the provincial suffix', () => {
    expect(findProcedureCodes('thủ tục 1.001612.000.00.00.H01 và 2.000488').map((m) => m.base)).toEqual([
      '1.001612',
      '2.000488',
    ]);
    expect(baseProcedureCode('1.001612.000.00.00.H01')).toBe('1.001612');
  });

  it('reads numeric and worded dates and rejects impossible ones', () => {
    expect(findDates('ngày 15 tháng 11 năm 2014; 31/02/2020; 01/07/2015').map((d) => d.iso)).toEqual([
      '2014-11-15',
      '2015-07-01',
    ]);
  });

  it('reads amounts of money in đồng', () => {
    expect(findMoney('70.000 đồng, 1,500,000 VNĐ, 50 nghìn đồng, 2 triệu đồng').map((m) => m.amount)).toEqual(
      [70_000, 1_500_000, 50_000, 2_000_000],
    );
  });
});

describe('query lexicon', () => {
  it('expands the abbreviations citizens type', () => {
    expect(expandAbbreviations('CCCD bị mất')).toBe('cccd căn cước công dân bị mất');
    expect(expandAbbreviations('xin GPXD ở UBND xã')).toContain('giấy phép xây dựng');
    expect(expandAbbreviations('đc ko')).toBe('đc được ko không');
    expect(expandAbbreviations('cty em muốn tạm ngừng kd')).toBe(
      'cty công ty em muốn tạm ngừng kd kinh doanh',
    );
    expect(expandAbbreviations('Nghị định 123/2015/NĐ-CP')).toBe('nghị định 123/2015/nđ-cp');
  });

  it('maps "sổ đỏ" to the certificate of land use rights, with or without diacritics', () => {
    for (const q of ['làm sổ đỏ cần giấy tờ gì', 'lam so do can giay to gi']) {
      const e = expandQuery(q);
      expect(e.text).toContain('giấy chứng nhận quyền sử dụng đất');
      expect(e.fields).toEqual(['ho_so']);
    }
  });

  it.each([
    ['chiếc ghe máy nhà em chưa đăng ký', 'phương tiện thủy nội địa'],
    ['xe 7 chỗ đến hạn đăng kiểm', 'kiểm định'],
    ['muốn rút bảo hiểm một lần', 'hưởng bảo hiểm xã hội một lần'],
    ['mua đất giấy tay từ năm 2015', 'đã chuyển quyền chưa thực hiện thủ tục'],
    ['xin giấy xác nhận cư trú CT07', 'xác nhận thông tin về cư trú'],
    ['tiền rách có đổi được không', 'đổi tiền không đủ tiêu chuẩn lưu thông'],
    ['mang chó mèo từ nước ngoài về', 'kiểm dịch động vật mang theo người'],
    ['ly hôn ở nước ngoài rồi về nước', 'ghi vào sổ hộ tịch việc ly hôn'],
  ])('reads the citizen\'s words "%s" as the records\' "%s", with or without diacritics', (q, means) => {
    expect(expandQuery(q).text).toContain(means);
    expect(expandQuery(fold(q)).text).toContain(means);
  });

  it('lets the longer colloquial phrase win over a shorter one inside it', () => {
    const e = expandQuery('dựng rạp đám cưới trước nhà có phải xin phép không');
    expect(e.text).toContain('sử dụng tạm thời lòng đường vỉa hè');
    expect(e.text).not.toContain('đăng ký kết hôn');
  });

  it('does not read everyday wording typed without diacritics as a phrase that folds the same', () => {
    // "hoạt động của công ty" folds like "đóng cửa công ty", "đề nghị để" like "nghỉ đẻ", "thuê đất hằng năm" like "thuế đất hàng năm".
    for (const q of [
      'hoat dong cua cong ty bi dung',
      'de nghi de lai ho so',
      'thue dat hang nam bao nhieu',
      'gui ho so cho bo',
    ])
      expect(expandQuery(q).phraseAdditions).toEqual([]);
  });

  it('leaves formal legal wording alone: "người nghiện ma túy" is not a citizen asking to register for treatment', () => {
    expect(expandQuery('Người nghiện ma túy bị đưa vào cơ sở cai nghiện bắt buộc').phraseAdditions).toEqual(
      [],
    );
  });

  it('reads which field a question asks for', () => {
    expect(expandQuery('đăng ký kết hôn mất bao lâu').fields).toEqual(['thoi_han']);
    expect(expandQuery('làm giấy khai sinh hết bao nhiêu tiền').fields).toEqual(['phi']);
    expect(expandQuery('cap lai cccd nop o dau').fields).toEqual(['co_quan']);
    expect(expandQuery('lấy vợ thì làm thủ tục gì').text).toContain('đăng ký kết hôn');
  });

  it('does not read a phrase into a word that only shares its folded form', () => {
    // "tiện" folds to "tien" like "tiền", but it was typed with diacritics, so no fee question.
    expect(expandQuery('thủ tục có thuận tiện không').fields).not.toContain('phi');
  });

  it('refuses a lexicon entry with an unknown field', () => {
    expect(() =>
      compileLexicon({ abbreviations: {}, phrases: [], questions: [{ field: 'x', say: ['a'], means: 'b' }] }),
    ).toThrow(/questions\[0\]: unknown field "x"/u);
  });
});

describe('diacritic restoration', () => {
  const corpus = [
    'Đăng ký khai sinh cho trẻ em mới sinh',
    'Cấp lại giấy khai sinh khi bị mất',
    'Lệ phí đăng ký kết hôn',
    'Thời hạn giải quyết là 05 ngày làm việc',
    'Hồ sơ gồm tờ khai đăng ký khai sinh',
    'Cần nộp hồ sơ tại Ủy ban nhân dân cấp xã',
    'Đăng ký thường trú tại nơi ở hợp pháp',
  ];
  const restorer = DiacriticRestorer.train(corpus);

  it('puts diacritics back on a question typed without them, using the corpus', () => {
    expect(restorer.restore('dang ky khai sinh can ho so gi')).toBe('đăng ký khai sinh cần hồ sơ gi');
    expect(restorer.restore('le phi dang ky ket hon')).toBe('lệ phí đăng ký kết hôn');
  });

  it('keeps numbers, punctuation and unknown words as typed', () => {
    expect(restorer.restore('thoi han 05 ngay, xyz?')).toBe('thời hạn 05 ngày, xyz?');
  });

  it('survives a save and load unchanged', () => {
    const again = DiacriticRestorer.fromJSON(JSON.parse(JSON.stringify(restorer.toJSON())));
    expect(again.restore('ho so dang ky thuong tru')).toBe(restorer.restore('ho so dang ky thuong tru'));
    expect(fold(again.restore('ho so'))).toBe('ho so');
  });

  it('restores alike when freshly built and when read back from disk (pairs seen once are not kept by either)', () => {
    // "ga" follows "tàu" once: a fresh model must not lean on that single pair when the saved one cannot.
    const built = DiacriticRestorer.train(['tàu ga', 'ga', 'gà gà gà gà gà', 'gà gà gà gà gà']);
    const loaded = DiacriticRestorer.fromJSON(JSON.parse(JSON.stringify(built.toJSON())));
    for (const q of ['tau ga', 'ga', 'ga ga']) expect(built.restore(q), q).toBe(loaded.restore(q));
  });
});
