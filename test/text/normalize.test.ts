import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigrams,
  canonicalTones,
  detectLegacyEncoding,
  fold,
  foldedWords,
  hasDiacritics,
  isStopword,
  nfc,
  normalize,
  tokenize,
} from '../../src/text/index.js';

/** Vietnamese syllables with every tone on every vowel kind, in both tone conventions. */
const SYLLABLES = [
  'hòa',
  'hoà',
  'thủy',
  'thuỷ',
  'khỏe',
  'khoẻ',
  'ủy',
  'uỷ',
  'quý',
  'khuỷu',
  'người',
  'nghĩa',
  'giữ',
  'quốc',
  'đăng',
  'ký',
  'hồ',
  'sơ',
  'lệ',
  'phí',
  'thời',
  'hạn',
  'giải',
  'quyết',
  'cơ',
  'quan',
  'thực',
  'hiện',
  'Đồng',
  'ĐIỀU',
  'Chương',
  'căn',
  'cước',
  'công',
  'dân',
  'tuổi',
  'rượu',
  'ngoài',
  'mùa',
  'của',
  'gì',
  'giá',
];
const syllable = fc.constantFrom(...SYLLABLES);
const sentence = fc.array(syllable, { minLength: 1, maxLength: 12 }).map((w) => w.join(' '));
/** Old-tone and NFD variants of a Vietnamese string. */
const variants = (s: string) => [
  s,
  s.normalize('NFD'),
  canonicalTones(s),
  s.replace(/oà/g, 'òa').replace(/uỷ/g, 'ủy'),
];

describe('Vietnamese normalisation', () => {
  it('treats modern and classic tone placement as the same word', () => {
    expect(normalize('Hoà Bình, thuỷ lợi, khoẻ mạnh, Uỷ ban')).toBe('hòa bình, thủy lợi, khỏe mạnh, ủy ban');
    expect(normalize('hòa')).toBe(normalize('hoà'));
    expect(normalize('thủy')).toBe(normalize('thuỷ'));
  });

  it('keeps tones that are already on the only possible vowel', () => {
    for (const w of [
      'quý',
      'khuỷu',
      'người',
      'nghĩa',
      'giữ',
      'quốc',
      'gì',
      'giá',
      'rượu',
      'ngoài',
      'của',
      'mùa',
    ]) {
      expect(normalize(w)).toBe(w);
    }
  });

  it('gives the same text for NFC and NFD input, and lower-cases and collapses spaces', () => {
    expect(normalize('  ĐĂNG   KÝ\tKHAI SINH ')).toBe('đăng ký khai sinh');
    expect(normalize('Lệ phí'.normalize('NFD'))).toBe('lệ phí');
  });

  it('folds đ to d and strips every diacritic', () => {
    expect(fold('Đăng ký đất đai')).toBe('Dang ky dat dai');
    expect(fold('thời hạn giải quyết')).toBe('thoi han giai quyet');
    expect(hasDiacritics('dang ky')).toBe(false);
    expect(hasDiacritics('đang')).toBe(true);
  });

  it('normalisation is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.oneof(sentence, fc.string()), (s) => {
        const once = normalize(s);
        expect(normalize(once)).toBe(once);
      }),
    );
  });

  it('folding an accented string equals folding its NFD and tone-placement variants (property)', () => {
    fc.assert(
      fc.property(sentence, (s) => {
        const want = fold(normalize(s));
        for (const v of variants(s)) expect(fold(normalize(v))).toBe(want);
      }),
    );
  });

  it('tokens never contain whitespace and tokenising is stable under normalisation (property)', () => {
    fc.assert(
      fc.property(fc.oneof(sentence, fc.string(), fc.string({ unit: 'grapheme' })), (s) => {
        const tokens = tokenize(s);
        for (const t of tokens) {
          expect(t).not.toMatch(/\s/u);
          expect(t.length).toBeGreaterThan(0);
        }
        expect(tokenize(normalize(s))).toEqual(tokens);
      }),
    );
  });

  it('tokenises into syllables and keeps legal entities whole', () => {
    expect(tokenize('Nghị định 123/2015/NĐ-CP quy định lệ phí 70.000 đồng')).toEqual([
      'nghị',
      'định',
      '123/2015/nđ-cp',
      'quy',
      'định',
      'lệ',
      'phí',
      '70000',
      'đồng',
    ]);
    expect(tokenize('Mã thủ tục 1.001612.000.00.00.H01, ngày 15/11/2014')).toEqual([
      'mã',
      'thủ',
      'tục',
      '1.001612',
      'ngày',
      '2014-11-15',
    ]);
  });

  it('drops only particles: "không", "được", "phải", "chưa", "bao nhiêu", "ngày" stay searchable', () => {
    for (const w of ['không', 'được', 'phải', 'chưa', 'bao', 'nhiêu', 'ngày', 'nào', 'gì', 'đâu']) {
      expect(isStopword(w)).toBe(false);
    }
    for (const w of ['thì', 'là', 'của', 'ạ', 'nhé']) expect(isStopword(w)).toBe(true);
  });

  it('pairs adjacent syllables into bigrams', () => {
    expect(bigrams(['hồ', 'sơ', 'gồm'])).toEqual(['hồ_sơ', 'sơ_gồm']);
    expect(bigrams(['một'])).toEqual([]);
  });

  it('reports text from TCVN3 and VNI fonts, but not Unicode Vietnamese', () => {
    expect(
      detectLegacyEncoding('Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc')?.encoding,
    ).toBe('TCVN3');
    expect(detectLegacyEncoding('Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp')?.encoding).toBe('VNI');
    expect(
      detectLegacyEncoding('Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc'),
    ).toBeNull();
    expect(detectLegacyEncoding('Café, résumé and naïve are French words.')).toBeNull();
    expect(nfc('e\u0301')).toBe('é');
  });

  it('foldedWords gives the words of fold(normalize(text)), whatever the tone placement, case, composition or punctuation', () => {
    const slow = (t: string) =>
      fold(normalize(t))
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w !== '');
    fc.assert(
      fc.property(fc.oneof(sentence, fc.string()), (s) => {
        for (const v of [s, ...variants(s)]) expect(foldedWords(v)).toEqual(slow(v));
      }),
    );
    expect(foldedWords('HOÀ GIẢI “Thuỷ lợi” — Đắk Lắk, 2024')).toEqual([
      'hoa',
      'giai',
      'thuy',
      'loi',
      'dak',
      'lak',
      '2024',
    ]);
  });
});
