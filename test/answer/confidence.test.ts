import { beforeAll, describe, expect, it } from 'vitest';
import { confidenceFeatures, SyllableCache } from '../../src/answer/confidence.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { sampleDocs } from '../helpers/docs.js';

describe('syllable cache', () => {
  it('folds a text once into syllable ids, bounded in entries', () => {
    const cache = new SyllableCache(2);
    const a = {};
    const b = {};
    const c = {};
    const ids = cache.of(a, () => 'Đăng ký khai sinh, đăng ký kết hôn');
    expect([...ids]).toEqual([0, 1, 2, 3, 0, 1, 4, 5]);
    expect(cache.idOf('dang')).toBe(0);
    expect(cache.idOf('khai')).toBe(2);
    expect(cache.idOf('ho')).toBe(-1);
    expect(cache.of(a, () => 'not read again')).toBe(ids);
    cache.of(b, () => 'hộ tịch');
    cache.of(c, () => 'khai sinh');
    expect(cache.stats()).toEqual({ hits: 1, misses: 3, entries: 2, capacity: 2 });
    expect(cache.syllables).toBe(8);
  });

  it('starts over when the dictionary of syllables is full, before a text is read', () => {
    const cache = new SyllableCache(10, 3);
    const a = {};
    cache.of(a, () => 'một hai ba bốn');
    cache.prepare();
    expect(cache.syllables).toBe(0);
    expect(cache.stats().entries).toBe(0);
    expect([...cache.of(a, () => 'bốn ba')]).toEqual([0, 1]);
  });

  it('reads a passage typed with old tone placement, decomposed letters or curly quotes as the same syllables', () => {
    const cache = new SyllableCache(10);
    const canonical = [...cache.of({}, () => 'hòa giải “thủy lợi” – khuyến nông')];
    const variants = [
      'HOÀ GIẢI "THUỶ LỢI" - KHUYẾN NÔNG',
      'hoà giải “thuỷ lợi” — khuyến nông'.normalize('NFD'),
      'Hòa  giải\t‘thủy lợi’\nkhuyến nông',
    ];
    for (const text of variants) expect([...cache.of({}, () => text)]).toEqual(canonical);
  });
});

describe('a specific word the first result leaves unanswered (missingRarity)', () => {
  let retriever: Retriever;
  let snapshot: IndexSnapshot;
  beforeAll(async () => {
    const documents = sampleDocs();
    snapshot = await IndexSnapshot.build(
      {
        sources: [{ path: 'docs', fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
        documents,
        parent: null,
      },
      { kind: 'none' },
    );
    retriever = new Retriever(snapshot);
  });
  const missing = async (q: string) =>
    confidenceFeatures(q, await retriever.retrieve(q, { k: 5 }), snapshot).missingRarity;

  it('is not raised by a date, an age or an amount in the asker’s story', async () => {
    expect(await missing('đăng ký khai tử nộp giấy báo tử')).toBe(0);
    expect(await missing('đăng ký khai tử 12/3/2026 cho người 82 nộp giấy báo tử')).toBe(0);
  });

  it('is raised by a word the record does not hold', async () => {
    expect(await missing('đăng ký khai tử nộp giấy báo tử ở bệnh viện')).toBeGreaterThan(0.5);
  });
});
