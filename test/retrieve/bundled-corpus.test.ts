import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindex } from '../../src/admin/reindex.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';

/**
 * Retrieval over the bundled corpus exactly as `npm start` builds it (default offline embedder):
 * citizens' questions, typed with diacritics, without them, and with abbreviations.
 */
const root = path.resolve(import.meta.dirname, '../..');
let dataDir: string;
let retriever: Retriever;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bundled-'));
  const store = new SnapshotStore(dataDir);
  const report = await reindex(store, { kind: 'lsa' }, { paths: [path.join(root, 'corpus')] });
  expect(report.failed).toEqual([]);
  const snapshot = await store.loadCurrent({ kind: 'lsa' });
  if (!snapshot) throw new Error('no snapshot was published');
  retriever = new Retriever(snapshot);
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function top(question: string, k = 1): Promise<string[]> {
  const { results } = await retriever.retrieve(question, { k });
  return results.map((r) => r.doc.title);
}

const CASES: { question: string; expect: RegExp }[] = [
  { question: 'Đăng ký khai sinh cho con cần giấy tờ gì?', expect: /đăng ký khai sinh$/iu },
  { question: 'dang ky khai sinh cho con can giay to gi', expect: /đăng ký khai sinh$/iu },
  { question: 'lấy vợ thì làm thủ tục gì', expect: /đăng ký kết hôn$/iu },
  { question: 'lay vo thi lam thu tuc gi', expect: /đăng ký kết hôn$/iu },
  { question: 'xin giấy xác nhận độc thân ở đâu', expect: /xác nhận tình trạng hôn nhân/iu },
  { question: 'cccd bi mat lam lai the nao', expect: /cấp lại thẻ căn cước/iu },
  { question: 'mở quán tạp hóa phải đăng ký gì', expect: /thành lập hộ kinh doanh/iu },
  { question: 'nhap ho khau cho con', expect: /đăng ký thường trú/iu },
  { question: 'làm lý lịch tư pháp mất bao lâu', expect: /lý lịch tư pháp/iu },
  { question: 'bằng lái xe bị mất thì làm lại thế nào', expect: /cấp lại giấy phép lái xe/iu },
];

describe('retrieval over the bundled corpus', () => {
  for (const c of CASES) {
    it(`answers "${c.question}" with the right procedure first`, async () => {
      expect((await top(c.question))[0]).toMatch(c.expect);
    });
  }

  it('finds a procedure by its national code', async () => {
    const { results } = await retriever.retrieve('thủ tục 1.001193', { k: 3 });
    expect(results[0]?.exact).toBe(true);
    expect(results[0]?.doc.title).toMatch(/đăng ký khai sinh$/iu);
  });

  it('finds the Nghị định on chứng thực by its number typed in lower case without đ', async () => {
    const { results } = await retriever.retrieve('23/2015/nd-cp', { k: 3 });
    expect(results[0]?.doc.number).toBe('23/2015/NĐ-CP');
  });

  it('cites the article of a law for a legal question, with the page of the generated PDF', async () => {
    const { results } = await retriever.retrieve(
      'thẩm quyền đăng ký khai sinh cho trẻ em theo Luật Hộ tịch',
      { k: 5 },
    );
    const law = results.find((r) => r.doc.kind === 'legal' && /hộ tịch/iu.test(r.doc.title));
    expect(law).toBeDefined();
    expect(law?.chunks[0]?.chunk.citation).toMatch(/^Điều \d+/u);
    expect(law?.chunks[0]?.chunk.page).toBeGreaterThan(0);
  });
});
