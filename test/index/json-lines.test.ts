import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/index/intern.js';
import { readJsonLines, writeJsonLines } from '../../src/index/json-lines.js';

describe('JSON Lines lists', () => {
  it('round-trips items, including text with line breaks, one item a line', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'jsonl-')), 'x.jsonl');
    const items = Array.from({ length: 600 }, (_, i) => ({
      id: `1.${i}`,
      text: `Phí, lệ phí:\nDòng ${i}`,
      n: i,
    }));
    await writeJsonLines(file, items);
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(601);
    const back = await readJsonLines<(typeof items)[number]>(file, new StringPool());
    expect(back).toEqual(items);
  });

  it('names the line of a truncated write', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'jsonl-')), 'x.jsonl');
    await writeFile(file, '{"a":1}\n{"a":');
    await expect(readJsonLines(file)).rejects.toThrow(/^line 2: /u);
  });
});
