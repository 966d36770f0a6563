import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  EVERYDAY_NAMES_FILE,
  everydayNames,
  MAX_EVERYDAY_NAMES,
  readEverydayNames,
  recordEverydayNames,
} from '../../src/ingest/procedure/everyday-names.js';
import { procedureDocument } from '../../src/ingest/procedure/procedure-document.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'everyday-'));

describe('the bundled table of everyday names', () => {
  it('names every procedure of the bundled corpus in two to six everyday phrases', async () => {
    const table = readEverydayNames(EVERYDAY_NAMES_FILE);
    expect(table.size).toBeGreaterThan(2_000);
    const dir = path.join('corpus', 'procedures');
    const { readdir } = await import('node:fs/promises');
    for (const file of await readdir(dir)) {
      for (const line of (await readFile(path.join(dir, file), 'utf8')).split('\n')) {
        if (line.trim() === '') continue;
        const code = (JSON.parse(line) as { ma_thu_tuc: string }).ma_thu_tuc;
        const names = everydayNames(code);
        expect(names.length, code).toBeGreaterThanOrEqual(2);
        expect(names.length, code).toBeLessThanOrEqual(MAX_EVERYDAY_NAMES);
      }
    }
  });

  it('holds no question words and no phrase twice', () => {
    const seen = new Set<string>();
    for (const [code, say] of readEverydayNames(EVERYDAY_NAMES_FILE)) {
      for (const s of say) {
        expect(s, code).not.toMatch(/(bao lâu|ở đâu|giấy tờ gì|bao nhiêu tiền)/u);
        expect(seen.has(s.toLowerCase()), s).toBe(false);
        seen.add(s.toLowerCase());
      }
    }
  });
});

describe('everyday names read from a table and from the record', () => {
  it('a missing table is empty; a malformed line is named with its file and line', () => {
    const dir = tmp();
    expect(readEverydayNames(path.join(dir, 'none.jsonl')).size).toBe(0);
    const bad = path.join(dir, 'names.jsonl');
    writeFileSync(
      bad,
      '{"code": "1.000001", "say": ["làm lại giấy"]}\n{"code": "1.000002", "say": "một câu"}\n',
    );
    expect(() => readEverydayNames(bad)).toThrow(/names\.jsonl: line 2 needs "code" \(text\) and "say"/u);
    writeFileSync(bad, '{"code": "1.000001"\n');
    expect(() => readEverydayNames(bad)).toThrow(/names\.jsonl: line 1 is not JSON/u);
    // A code on two lines is named with both, not replaced silently.
    writeFileSync(bad, '{"code": "1.000001", "say": ["a b"]}\n\n{"code": "1.000001", "say": ["c d"]}\n');
    expect(() => readEverydayNames(bad)).toThrow(
      /names\.jsonl: line 3 repeats procedure 1\.000001 of line 1/u,
    );
  });

  it('a record lists its own as a list or as text split at ";" and new lines', () => {
    expect(recordEverydayNames(['mua lại ghe cũ', ' ', 'sang tên ghe'])).toEqual([
      'mua lại ghe cũ',
      'sang tên ghe',
    ]);
    expect(recordEverydayNames('mua lại ghe cũ; sang tên ghe\nđứng tên ghe')).toEqual([
      'mua lại ghe cũ',
      'sang tên ghe',
      'đứng tên ghe',
    ]);
    expect(recordEverydayNames(42)).toEqual([]);
  });

  it("puts the record's own first, drops repeats typed differently and keeps at most six", () => {
    const [code, bundled] = [...readEverydayNames(EVERYDAY_NAMES_FILE)][0]!;
    const own = ['Tên riêng của tỉnh', 'tên riêng của tỉnh', bundled[0]!.toUpperCase()];
    const names = everydayNames(code, own);
    expect(names[0]).toBe('Tên riêng của tỉnh');
    expect(names.filter((n) => n.toLowerCase() === bundled[0]!.toLowerCase())).toHaveLength(1);
    expect(everydayNames('9.999999', ['a b', 'c d', 'e f', 'g h', 'i k', 'l m', 'n o'])).toHaveLength(
      MAX_EVERYDAY_NAMES,
    );
  });
});

describe('a procedure record with everyday names', () => {
  const record = (names?: string[]) => ({
    ma_thu_tuc: '3.000911',
    ten_thu_tuc: 'Đăng ký phương tiện thủy nội địa trong trường hợp chuyển quyền sở hữu',
    cap_thuc_hien: 'Cấp tỉnh',
    linh_vuc: 'Đường thủy nội địa',
    thanh_phan_ho_so: 'Tờ khai đăng ký phương tiện',
    ...(names ? { ten_goi_thuong_dung: names } : {}),
  });

  it('searches them with its general passage but never shows them in a passage', () => {
    const doc = procedureDocument(record(['sang tên ghe mua lại của người khác']), 'x.jsonl');
    const general = doc.chunks.find((c) => c.field === 'general')!;
    expect(general.searchText).toBe('sang tên ghe mua lại của người khác');
    expect(general.text).not.toContain('sang tên ghe');
    expect(doc.chunks.filter((c) => c.searchText !== undefined)).toHaveLength(1);
    expect(doc.meta.procedure?.everydayNames).toEqual(['sang tên ghe mua lại của người khác']);
  });

  it('changes its hashes when they change, so a re-index picks the change up', () => {
    const a = procedureDocument(record(['sang tên ghe mua lại']), 'x.jsonl');
    const b = procedureDocument(record(['đứng tên ghe cũ']), 'x.jsonl');
    const c = procedureDocument(record(), 'x.jsonl');
    expect(a.meta.contentHash).not.toBe(b.meta.contentHash);
    expect(a.meta.contentHash).not.toBe(c.meta.contentHash);
    const general = (d: typeof a) => d.chunks.find((x) => x.field === 'general')!.contentHash;
    expect(general(a)).not.toBe(general(b));
    expect(c.chunks.some((x) => x.searchText !== undefined)).toBe(false);
  });
});
