import { describe, expect, it } from 'vitest';
import { mentionsForeignParty, preferForeignVariants, variantOf } from '../../src/retrieve/variants.js';

describe('civil-status services with a foreign-element variant', () => {
  it.each([
    ['Thủ tục đăng ký kết hôn', 'dang ky ket hon', false],
    ['Thủ tục đăng ký kết hôn có yếu tố nước ngoài', 'dang ky ket hon', true],
    ['Thủ tục đăng ký kết hôn có yếu tố nước ngoài tại khu vực biên giới', 'dang ky ket hon', true],
    [
      'Cấp thị thực cho người nước ngoài tại Việt Nam (thực hiện tại cấp tỉnh)',
      'cap thi thuc cho nguoi nuoc ngoai tai viet nam',
      false,
    ],
  ])('"%s" is a variant of "%s" (foreign element: %s)', (name, base, foreign) => {
    expect(variantOf(name)).toEqual({ base, foreign });
  });

  it.each([
    ['Em lấy chồng người Hàn Quốc, đăng ký kết hôn cần gì?', true],
    ['vo chong e, chong la nguoi Nhat, be moi sinh, lam giay khai sinh', true],
    ['chong toi quoc tich Phap vua mat, lam khai tu can giay gi', true],
    ['Chồng em là Việt kiều Mỹ, muốn đăng ký kết hôn', true],
    ['lay vo la nguoi TQ song ben kia bien gioi', true],
    // Words that fold like a country after "người" are not one.
    ['Người anh trai tôi mất, làm khai tử ở đâu?', false],
    ['Tôi là người Lào Cai, muốn đăng ký kết hôn', false],
    ['Đăng ký khai sinh cho con mất bao lâu?', false],
  ])('"%s" names a foreign party: %s', (q, foreign) => {
    expect(mentionsForeignParty(q)).toBe(foreign);
  });

  const names = [
    'Thủ tục đăng ký kết hôn',
    'Thủ tục đăng ký kết hôn có yếu tố nước ngoài',
    'Thủ tục đăng ký khai sinh',
  ];
  const fused = names.map((_, doc) => ({
    doc,
    score: 1 - doc * 0.1,
    lexicalRank: doc + 1,
    vectorRank: null,
  }));
  const order = (q: string) =>
    preferForeignVariants(fused, q, (doc) => names[doc]!, 20, 0.3).map((f) => f.doc);

  it('answers a question naming a foreign spouse with the foreign-element variant', () => {
    expect(order('Em lấy chồng người Hàn Quốc, đăng ký kết hôn cần gì?')).toEqual([1, 2, 0]);
  });

  it('leaves the order alone when the question names no foreign party', () => {
    expect(order('Đăng ký kết hôn cần giấy tờ gì?')).toEqual([0, 1, 2]);
  });
});
