import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index/lexical/analyzer.js';
import { LexicalIndex, type QueryTerm } from '../../src/index/lexical/bm25.js';
import { decodePostings, MAX_TF, PostingLog } from '../../src/index/lexical/postings.js';
import { TermDictionary } from '../../src/index/lexical/term-dictionary.js';

const inputs = [
  { heading: 'Đăng ký khai sinh', body: 'Nộp tờ khai đăng ký khai sinh và giấy chứng sinh.' },
  { heading: 'Đăng ký kết hôn', body: 'Hai bên nam nữ nộp tờ khai đăng ký kết hôn.' },
  { heading: 'Cấp giấy phép xây dựng', body: 'Hồ sơ gồm đơn đề nghị cấp giấy phép xây dựng.' },
  { heading: 'Dạng văn bản', body: 'Đang xem xét dáng vẻ.' },
];

function termsOf(q: string): QueryTerm[] {
  const { accented, folded } = analyze(q);
  return [...accented, ...folded].map((term) => ({ term, weight: 1 }));
}

function ranking(index: LexicalIndex, q: string): number[] {
  const scores = new Float32Array(index.size);
  index.accumulate(termsOf(q), scores);
  const touched = [...scores.keys()].filter((i) => scores[i] !== 0);
  return touched.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

describe('lexical BM25F index', () => {
  it('scores common terms from their decoded postings exactly as from the packed ones', () => {
    // 1,500 passages share "thủ tục" and "hồ sơ" (common enough to be decoded); each has a heading and words of its own.
    const many = Array.from({ length: 1500 }, (_, i) => ({
      heading: i % 3 === 0 ? `Thủ tục cấp giấy số ${i}` : `Đăng ký việc ${i % 7}`,
      body: `Hồ sơ thủ tục gồm tờ khai ${'bản sao '.repeat(i % 4)}mục ${i % 11} và thủ tục ${i % 5}.`,
    }));
    const saved = LexicalIndex.decodedBudget;
    let plain: LexicalIndex;
    try {
      LexicalIndex.decodedBudget = 0;
      plain = LexicalIndex.build(many);
    } finally {
      LexicalIndex.decodedBudget = saved;
    }
    const decoded = LexicalIndex.build(many);
    expect(plain.decodedStats().terms).toBe(0);
    expect(decoded.decodedStats().terms).toBeGreaterThan(0);
    for (const q of ['thủ tục hồ sơ', 'thu tuc ho so muc 7', 'đăng ký việc 3 thủ tục', 'tờ khai bản sao']) {
      const a = new Float32Array(plain.size);
      const b = new Float32Array(decoded.size);
      const terms = termsOf(q).map((t, i) => ({ ...t, weight: 1 - i * 0.05 }));
      plain.accumulate(terms, a);
      decoded.accumulate(terms, b);
      for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 5);
      expect(ranking(decoded, q)).toEqual(ranking(plain, q));
    }
  });

  it('reads a common word and its folded twin as one list, with the scores of reading both', () => {
    // "thủ tục" / "thu tuc" and "hồ sơ" / "ho so" are common; "thu" also folds from "thư" and "thú".
    const many = Array.from({ length: 1500 }, (_, i) => ({
      heading: i % 3 === 0 ? `Thủ tục cấp giấy số ${i}` : `Đăng ký việc ${i % 7} thư ${i % 2 ? 'thú' : ''}`,
      body: `Hồ sơ thủ tục gồm tờ khai ${'bản sao '.repeat(i % 4)}mục ${i % 11} và thủ tục ${i % 5}.`,
    }));
    const index = LexicalIndex.build(many);
    const before = index.decodedStats();
    index.pairFoldedTwins(0.7);
    // The unions are counted in the decoded postings /metrics reports.
    expect(index.decodedStats().terms).toBeGreaterThan(before.terms);
    expect(index.decodedStats().bytes).toBeGreaterThan(before.bytes);
    const weighted = (q: string, folded: number, raised = ''): QueryTerm[] => {
      const { accented, folded: twins } = analyze(q);
      return [
        ...accented.flatMap((term, i) => [
          { term, weight: 1 - i * 0.05 },
          { term: twins[i]!, weight: (1 - i * 0.05) * (twins[i] === raised ? 0.9 : folded) },
        ]),
      ];
    };
    for (const q of ['thủ tục hồ sơ', 'thủ tục thư thú', 'hồ sơ mục 7 thủ tục', 'tờ khai bản sao thủ tục']) {
      // With the ratio prepared (0.7), another ratio (0.5), and a twin raised by another word ("~thu").
      for (const terms of [weighted(q, 0.7), weighted(q, 0.5), weighted(q, 0.7, '~thu')]) {
        const paired = new Float32Array(index.size);
        index.accumulate(terms, paired);
        const oneByOne = new Float32Array(index.size);
        for (const t of terms) index.accumulate([t], oneByOne);
        for (let i = 0; i < paired.length; i++) expect(paired[i]).toBeCloseTo(oneByOne[i]!, 4);
      }
    }
  });

  it('finds the passage whose heading names the procedure first', () => {
    const index = LexicalIndex.build(inputs);
    expect(ranking(index, 'đăng ký kết hôn')[0]).toBe(1);
    expect(ranking(index, 'giấy phép xây dựng')[0]).toBe(2);
  });

  it('matches a query typed without diacritics through the folded keys', () => {
    const index = LexicalIndex.build(inputs);
    expect(ranking(index, 'dang ky khai sinh')[0]).toBe(0);
    expect(ranking(index, 'giay phep xay dung')[0]).toBe(2);
  });

  it('ranks an exact accented match above passages that match only once folded', () => {
    const index = LexicalIndex.build(inputs);
    // "dạng" folds to "dang" like "đăng" and "đang"; the accented key decides.
    expect(ranking(index, 'dạng')[0]).toBe(3);
  });

  it('returns nothing for words that are not in the corpus', () => {
    const index = LexicalIndex.build(inputs);
    expect(ranking(index, 'tàu vũ trụ')).toEqual([]);
  });

  it('gives identical scores after a save and load round trip', async () => {
    const index = LexicalIndex.build(inputs);
    const dir = await mkdtemp(path.join(tmpdir(), 'lex-'));
    await index.save(dir);
    const loaded = await LexicalIndex.load(dir);
    expect(loaded.vocabularySize).toBe(index.vocabularySize);
    const a = new Float32Array(index.size);
    const b = new Float32Array(index.size);
    index.accumulate(termsOf('nộp tờ khai đăng ký'), a);
    loaded.accumulate(termsOf('nộp tờ khai đăng ký'), b);
    expect([...b]).toEqual([...a]);
  });

  it('property: appending passages gives the same index as building over all of them', () => {
    const words = [
      'khai',
      'sinh',
      'kết',
      'hôn',
      'đăng',
      'ký',
      'hồ',
      'sơ',
      'lệ',
      'phí',
      'căn',
      'cước',
      'đất',
      'đai',
      'xe',
      'máy',
      'thuế',
    ];
    const passage = fc.record({
      heading: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')),
      body: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 300 }).map((w) => w.join(' ')),
    });
    fc.assert(
      fc.property(
        fc.array(passage, { minLength: 1, maxLength: 40 }),
        fc.array(passage, { minLength: 1, maxLength: 20 }),
        (old, added) => {
          const whole = LexicalIndex.build([...old, ...added]);
          const appended = LexicalIndex.append(LexicalIndex.build(old), added);
          expect(appended.size).toBe(whole.size);
          expect(appended.vocabularySize).toBe(whole.vocabularySize);
          for (const q of ['đăng ký khai sinh', 'le phi thue', 'đất đai xe máy hồ sơ']) {
            const a = new Float32Array(whole.size);
            const b = new Float32Array(whole.size);
            whole.accumulate(termsOf(q), a);
            appended.accumulate(termsOf(q), b);
            expect([...b]).toEqual([...a]);
            for (const t of termsOf(q))
              expect(appended.documentFrequency(t.term)).toBe(whole.documentFrequency(t.term));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('appending re-codes a first gap that needs several bytes', () => {
    const old = Array.from({ length: 20_000 }, (_, i) => ({
      heading: i === 0 ? 'hiếm gặp' : 'thường',
      body: `đoạn ${i % 7}`,
    }));
    const added = [{ heading: 'hiếm gặp', body: 'đoạn mới' }];
    const whole = LexicalIndex.build([...old, ...added]);
    const appended = LexicalIndex.append(LexicalIndex.build(old), added);
    expect(ranking(appended, 'hiếm gặp')).toEqual(ranking(whole, 'hiếm gặp'));
    expect(ranking(appended, 'hiếm gặp').sort((a, b) => a - b)).toEqual([0, 20_000]);
  });

  it('refuses a postings file that does not match its header', async () => {
    const index = LexicalIndex.build(inputs);
    const dir = await mkdtemp(path.join(tmpdir(), 'lex-'));
    await index.save(dir);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path.join(dir, 'lexical.bin'), Buffer.alloc(12));
    await expect(LexicalIndex.load(dir)).rejects.toMatchObject({ code: 'snapshot_invalid' });
  });
});

describe('packed postings and term dictionary', () => {
  it('round-trips postings of every size class (gaps of 1–3 bytes, escaped frequencies)', () => {
    const log = new PostingLog();
    const expected: { term: number; item: number; tfHeading: number; tfBody: number }[] = [
      { term: 1, item: 0, tfHeading: 1, tfBody: 0 },
      { term: 0, item: 3, tfHeading: 0, tfBody: 15 },
      { term: 1, item: 200, tfHeading: 15, tfBody: 15 },
      { term: 0, item: 70_000, tfHeading: 16, tfBody: 2 },
      { term: 1, item: 70_001, tfHeading: 0, tfBody: 300 },
    ];
    for (const p of expected) log.add(p.term, p.item, p.tfHeading, p.tfBody);
    const packed = log.pack(Uint32Array.from([1, 0]));
    expect(decodePostings(packed, 1)).toEqual([
      { item: 3, tfHeading: 0, tfBody: 15 },
      { item: 70_000, tfHeading: 16, tfBody: 2 },
    ]);
    expect(decodePostings(packed, 0)).toEqual([
      { item: 0, tfHeading: 1, tfBody: 0 },
      { item: 200, tfHeading: 15, tfBody: 15 },
      { item: 70_001, tfHeading: 0, tfBody: MAX_TF },
    ]);
    expect([...packed.df]).toEqual([3, 2]);
  });

  it('finds every term it holds and no other, whatever the script', () => {
    const terms = ['đăng_ký', '~dang_ky', 'a', 'ab', 'hồ', '~ho', '123/2015/nđ-cp', 'z'];
    const { dictionary, rankOf } = TermDictionary.fromTerms(terms);
    terms.forEach((t, i) => {
      expect(dictionary.id(t)).toBe(rankOf[i]);
      expect(dictionary.term(rankOf[i]!)).toBe(t);
    });
    for (const missing of ['', 'đăng', '~dang_k', 'aa', 'zz']) expect(dictionary.id(missing)).toBe(-1);
    expect(dictionary.isConsistent()).toBe(true);
  });

  it('property: the dictionary agrees with a Map on random vocabularies', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }),
        fc.string({ maxLength: 6 }),
        (terms, probe) => {
          const { dictionary, rankOf } = TermDictionary.fromTerms(terms);
          const oracle = new Map(terms.map((t, i) => [t, rankOf[i]!]));
          expect(dictionary.id(probe)).toBe(oracle.get(probe) ?? -1);
          for (const [t, id] of oracle) expect(dictionary.id(t)).toBe(id);
        },
      ),
    );
  });
});
