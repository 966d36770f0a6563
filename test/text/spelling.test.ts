import { describe, expect, it } from 'vitest';
import {
  asCorpusWrites,
  DiacriticRestorer,
  isSyllable,
  learnSpellings,
  LEXICON,
  respell,
} from '../../src/text/index.js';

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

describe('a typo one letter away from a syllable the corpus has', () => {
  const restorer = DiacriticRestorer.train([
    'Đăng ký khai sinh cho trẻ em mới sinh',
    'Đăng ký khai sinh quá hạn',
    'Cấp lại giấy khai sinh khi bị mất',
    'Cấp lại giấy khai sinh khi bị mất',
    'Đăng ký tạm trú tại nơi ở',
    'Đăng ký tạm trú cho người nước ngoài',
    'Hộ gia đình đủ điều kiện được cấp giấy',
    'Hộ gia đình đủ điều kiện được cấp giấy',
  ]);
  const read = (text: string) => asCorpusWrites(text, LEXICON, restorer);

  it.each([
    ['đăg ký khai sinh', 'đăng ký khai sinh'],
    ['dang ky kai sinh', 'dang ky khai sinh'],
    ['cấp lại giấy khai sinh bị mấtt', 'cấp lại giấy khai sinh bị mất'],
    ['đăng ký tạm trus', 'đăng ký tạm tru'],
    // Two typos side by side: the second is read beside the first as mended.
    ['đủ đềiu kinệ', 'đủ điều kiện'],
    // "giy" is no syllable ("gi" before y is written g): typed without marks, mended without them.
    ['cấp giy khai sinh', 'cấp giay khai sinh'],
  ])('reads "%s" as "%s"', (typed, mended) => {
    expect(read(typed)).toBe(mended);
  });

  it.each([
    // Vietnamese words the corpus lacks, short forms, foreign words and typos no neighbour supports stay.
    'bán heo khai sinh',
    'ko biết đăng ký',
    'jet ski đăng ký',
    'xyzt sinh hoạt',
  ])('leaves "%s" as typed', (typed) => {
    expect(read(typed)).toBe(typed);
  });

  it('knows a Vietnamese syllable by its initial and rhyme, and the spelling rules of k, c, g and ng', () => {
    for (const s of ['nghieng', 'nguoi', 'khuyen', 'heo', 'ruou', 'gia', 'quy', 'ke', 'ghe', 'nghe', 'ca'])
      expect(isSyllable(s), s).toBe(true);
    for (const s of ['gin', 'gieng', 'gioi']) expect(isSyllable(s), s).toBe(true);
    for (const s of ['dag', 'kai', 'trus', 'nhug', 'ce', 'ge', 'nge', 'ghi0', 'online', 'giy', 'giin'])
      expect(isSyllable(s), s).toBe(false);
  });
});
