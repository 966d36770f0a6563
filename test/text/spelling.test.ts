import { describe, expect, it } from 'vitest';
import { learnSpellings, respell } from '../../src/text/index.js';

/** Passages per syllable in a corpus that writes "ký", "quy", "kỳ" and "lý", and "chi", "vi" with an i. */
const ACCENTED: Record<string, number> = {
  ký: 900,
  kí: 3,
  quy: 2000,
  kỳ: 300,
  lý: 400,
  lí: 1,
  chi: 500,
  vi: 800,
  tỷ: 40,
  tỉ: 30,
};
const FOLDED: Record<string, number> = {
  ky: 1500,
  ki: 10,
  quy: 2000,
  qui: 2,
  ly: 500,
  li: 4,
  chi: 600,
  vi: 900,
};

describe('i and y spelled as the corpus spells them', () => {
  const spellings = learnSpellings(
    (s) => ACCENTED[s] ?? 0,
    (s) => FOLDED[s] ?? 0,
  );

  it('learns the rarer spelling of a syllable to respell, with and without diacritics', () => {
    expect(spellings.get('kí')).toBe('ký');
    expect(spellings.get('lí')).toBe('lý');
    expect(spellings.get('ki')).toBe('ky');
    expect(spellings.get('qui')).toBe('quy');
    // Both spellings common: neither is respelled.
    expect(spellings.has('tỉ')).toBe(false);
    expect(spellings.has('tỷ')).toBe(false);
    // Rhymes of their own are not i/y twins: "gì" is gi + ì, "tay" is not "tai".
    expect(spellings.has('gì')).toBe(false);
    expect([...spellings.keys()].some((k) => k.endsWith('ay') || k.endsWith('ai'))).toBe(false);
  });

  it.each([
    ['Đăng kí kết hôn cần giấy tờ gì?', 'Đăng ký kết hôn cần giấy tờ gì?'],
    ['Kí hợp đồng ở đâu', 'Ký hợp đồng ở đâu'],
    ['dang ki tam tru theo qui dinh', 'dang ky tam tru theo quy dinh'],
    ['lí lịch tư pháp', 'lý lịch tư pháp'],
    ['chi phí vi phạm', 'chi phí vi phạm'],
    ['kinh doanh, kiểm tra', 'kinh doanh, kiểm tra'],
  ])('reads "%s" as "%s"', (typed, read) => {
    expect(respell(typed, spellings)).toBe(read);
  });
});
