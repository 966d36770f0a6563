import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLegalDocument } from '../../src/ingest/legal/legal-document.js';
import { POINT_LETTERS } from '../../src/ingest/legal/patterns.js';

const word = fc.constantFrom(
  'hồ',
  'sơ',
  'đăng',
  'ký',
  'khai',
  'sinh',
  'Ủy',
  'ban',
  'nhân',
  'dân',
  'cấp',
  'xã',
  'giấy',
  'tờ',
  'theo',
  'quy',
  'định',
  'tại',
  'Điều',
  '9',
  'ngày',
  '01.01.2020',
  'Luật',
  'này',
);
const sentence = fc.array(word, { minLength: 4, maxLength: 60 }).map((ws) => `${ws.join(' ')}.`);
const clause = fc.record({ lead: sentence, points: fc.array(sentence, { maxLength: 6 }) });
const article = fc.record({
  title: fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
  clauses: fc.array(clause, { minLength: 1, maxLength: 6 }),
});

function render(articles: { title: string; clauses: { lead: string; points: string[] }[] }[]): {
  text: string;
  clauseLines: string[];
  headings: string[];
} {
  const lines = ['CHÍNH PHỦ', 'Số: 5/2020/NĐ-CP', '', 'NGHỊ ĐỊNH', 'Về thử nghiệm', ''];
  const clauseLines: string[] = [];
  const headings: string[] = [];
  articles.forEach((a, ai) => {
    const heading = `Điều ${ai + 1}. ${a.title}`;
    headings.push(heading);
    lines.push(heading);
    a.clauses.forEach((c, ci) => {
      const lead = `${ci + 1}. ${c.lead}${c.points.length > 0 ? ':' : ''}`;
      lines.push(lead);
      clauseLines.push(lead);
      c.points.forEach((p, pi) => {
        const line = `${POINT_LETTERS[pi]}) ${p}`;
        lines.push(line);
        clauseLines.push(line);
      });
    });
  });
  return { text: lines.join('\n'), clauseLines, headings };
}

describe('legal chunker properties', () => {
  it('covers every Khoản and Điểm line and never splits an "Điều N." heading', () => {
    fc.assert(
      fc.property(fc.array(article, { minLength: 1, maxLength: 5 }), (articles) => {
        const { text, clauseLines, headings } = render(articles);
        const doc = buildLegalDocument({ path: 'gen.txt', pages: [text], paged: false });
        const all = doc.chunks.map((c) => c.text).join('\n');
        for (const line of clauseLines) expect(all).toContain(line);
        for (const c of doc.chunks) {
          for (const l of c.text.split('\n')) if (/^Điều \d+\./u.test(l)) expect(headings).toContain(l);
          if (c.article !== undefined)
            expect(c.heading.endsWith(headings[Number(c.article) - 1] ?? '?')).toBe(true);
        }
        expect(new Set(doc.chunks.map((c) => c.id)).size).toBe(doc.chunks.length);
        expect(doc.chunks.filter((c) => c.article !== undefined).map((c) => Number(c.article))).toEqual(
          [...doc.chunks.filter((c) => c.article !== undefined).map((c) => Number(c.article))].sort(
            (x, y) => x - y,
          ),
        );
      }),
      { numRuns: 150 },
    );
  });
});
