import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { beirDocument, loadBeir } from '../../src/ingest/beir/beir-loader.js';
import { loadFile } from '../../src/ingest/registry.js';

const DATA = fileURLToPath(new URL('../../../shared/datasets/alqac/corpus.jsonl', import.meta.url));
const present = existsSync(DATA);
if (!present) console.warn(`skipping ALQAC tests: ${DATA} not found`);

describe('BEIR corpus entries become citable articles', () => {
  it('keeps a short article whole with "Điều N Luật …" citation', () => {
    const doc = beirDocument(
      {
        _id: 'Luật Cư trú::38',
        law_id: 'Luật Cư trú',
        article_id: '38',
        title: 'Hiệu lực thi hành',
        text: 'Hiệu lực thi hành\n\nLuật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.',
      },
      'corpus.jsonl',
    );
    expect(doc.meta).toMatchObject({
      id: 'Luật Cư trú::38',
      kind: 'article',
      title: 'Luật Cư trú · Điều 38. Hiệu lực thi hành',
      docType: 'Luật',
    });
    expect(doc.chunks).toHaveLength(1);
    expect(doc.chunks[0]).toMatchObject({
      id: 'Luật Cư trú::38#d38',
      citation: 'Điều 38 Luật Cư trú',
      heading: 'Luật Cư trú · Điều 38. Hiệu lực thi hành',
      breadcrumb: ['Luật Cư trú', 'Điều 38. Hiệu lực thi hành'],
      article: '38',
    });
  });

  it('splits a long article by Khoản with "Khoản 2 Điều 38 Luật Cư trú"', () => {
    const clause = (n: number): string =>
      `${n}. ${'Công dân có quyền và nghĩa vụ đăng ký thường trú theo quy định. '.repeat(6).trim()}`;
    const text = [
      'Hiệu lực thi hành',
      '',
      'Trong Luật này:',
      '',
      clause(1),
      '',
      clause(2),
      '',
      clause(3),
      '',
      clause(4),
    ].join('\n');
    const doc = beirDocument(
      { _id: 'Luật Cư trú::38', law_id: 'Luật Cư trú', article_id: '38', title: 'Hiệu lực thi hành', text },
      'corpus.jsonl',
    );
    expect(doc.chunks.map((c) => [c.id, c.citation])).toEqual([
      ['Luật Cư trú::38#d38.k1', 'Khoản 1 Điều 38 Luật Cư trú'],
      ['Luật Cư trú::38#d38.k2', 'Khoản 2 Điều 38 Luật Cư trú'],
      ['Luật Cư trú::38#d38.k3', 'Khoản 3 Điều 38 Luật Cư trú'],
      ['Luật Cư trú::38#d38.k4', 'Khoản 4 Điều 38 Luật Cư trú'],
    ]);
    expect(doc.chunks[0]?.text.startsWith('Hiệu lực thi hành\n\nTrong Luật này:\n1. ')).toBe(true);
    expect(doc.chunks.every((c) => c.heading === 'Luật Cư trú · Điều 38. Hiệu lực thi hành')).toBe(true);
  });

  it('reports a line without _id', () => {
    expect(() => loadBeir('c.jsonl', '{"_id":"a","text":"x"}\n{"text":"y"}')).toThrow(
      expect.objectContaining({ code: 'record_invalid', message: expect.stringContaining('line 2') }),
    );
  });
});

describe.skipIf(!present)('ALQAC corpus (real data)', () => {
  it('loads all 2,249 articles with citations and bounded chunks', async () => {
    const docs = await loadFile({ path: DATA, bytes: new Uint8Array(readFileSync(DATA)) });
    expect(docs).toHaveLength(2249);
    const d = docs.find((x) => x.meta.id === 'Luật Cư trú::38');
    expect(d?.chunks[0]?.citation).toMatch(/^(Khoản \d+ )?Điều 38 Luật Cư trú$/u);
    expect(docs.every((x) => x.chunks.every((c) => c.text.length <= 2400))).toBe(true);
  });
});
