import { describe, expect, it } from 'vitest';
import { LexicalIndex } from '../../src/index/lexical/bm25.js';
import type { IndexSnapshot } from '../../src/index/snapshot.js';
import type { Chunk, DocumentMeta } from '../../src/ingest/types.js';
import { Retriever } from '../../src/retrieve/retriever.js';

const doc = (id: string, title: string): DocumentMeta => ({
  id,
  kind: 'legal',
  title,
  status: 'con_hieu_luc',
  audience: 'public',
  source: 'test',
  contentHash: id,
});

const DOCS = [doc('a', 'Luật Hộ tịch'), doc('b', 'Luật Cư trú'), doc('c', 'Luật Đất đai')];
const PASSAGES: [number, string][] = [
  [0, 'Đăng ký khai sinh cho trẻ em tại Ủy ban nhân dân cấp xã.'],
  [0, 'Đăng ký kết hôn, đăng ký khai tử.'],
  [1, 'Đăng ký thường trú, đăng ký tạm trú tại công an cấp xã.'],
  [1, 'Hồ sơ đăng ký thường trú gồm tờ khai thay đổi thông tin cư trú.'],
  [2, 'Cấp giấy chứng nhận quyền sử dụng đất, đăng ký đất đai.'],
];

/** A snapshot over the passages in the given order (only what lexical retrieval reads). */
function snapshot(order: number[]): IndexSnapshot {
  const chunks = order.map((i) => {
    const [d, text] = PASSAGES[i]!;
    return { id: `${DOCS[d]!.id}#${i}`, docId: DOCS[d]!.id, heading: DOCS[d]!.title, text } as Chunk;
  });
  return {
    documents: DOCS,
    chunks,
    chunkDoc: Uint32Array.from(order, (i) => PASSAGES[i]![0]),
    lexical: LexicalIndex.build(chunks.map((c) => ({ heading: c.heading, body: c.text }))),
    restorer: null,
    vector: null,
  } as unknown as IndexSnapshot;
}

describe('lexical document scores', () => {
  it('are the same whether or not a document’s passages are contiguous', async () => {
    const contiguous = new Retriever(snapshot([0, 1, 2, 3, 4]));
    const interleaved = new Retriever(snapshot([0, 2, 1, 4, 3]));
    for (const q of ['đăng ký khai sinh', 'đăng ký thường trú hồ sơ', 'đất đai đăng ký']) {
      const a = (await contiguous.retrieve(q, { k: 3 })).results.map((r) => [
        r.doc.id,
        r.score,
        r.lexicalRank,
      ]);
      const b = (await interleaved.retrieve(q, { k: 3 })).results.map((r) => [
        r.doc.id,
        r.score,
        r.lexicalRank,
      ]);
      expect(a.length).toBeGreaterThan(0);
      expect(b).toEqual(a);
    }
  });
});
