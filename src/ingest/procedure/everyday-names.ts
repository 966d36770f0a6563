/**
 * Everyday names of national procedures: how citizens, households and small businesses name the
 * need a procedure serves ("làm lại cà vẹt xe máy bị mất" for "Cấp lại chứng nhận đăng ký xe, biển
 * số xe …"). A record's legal name and a citizen's words often share too little for any search;
 * these phrases, written for the project from each record (its name, applicants and conditions;
 * no question was read), bridge the two.
 *
 * They come from two places: the table bundled beside this module (`everyday-names.jsonl`, one
 * `{"code", "say": [...]}` per national procedure code; the codes are the same in every province),
 * and a record's own field `ten_goi_thuong_dung` (a list, or phrases separated by ";" or new lines),
 * which a province adds to its records and which comes first. They ride on the general passage as
 * `Chunk.searchText`: the lexical index weighs them with its heading, the embedding and the answer
 * layer's coverage features read them, and the name-coverage re-ranking counts them as further names
 * (src/retrieve/name-coverage.ts); an answer never shows or quotes them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalize } from '../../text/index.js';

/** The bundled table. */
export const EVERYDAY_NAMES_FILE = fileURLToPath(new URL('./everyday-names.jsonl', import.meta.url));

/** Most phrases kept per procedure, record's own first. */
export const MAX_EVERYDAY_NAMES = 6;

let table: Map<string, string[]> | null = null;

/**
 * Reads a table of everyday names (JSON Lines of `{code, say}`); a malformed line names itself,
 * and a code on two lines names both rather than let one replace the other.
 */
export function readEverydayNames(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const lineOf = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${file}: line ${i + 1} is not JSON`);
    }
    const { code, say } = row as { code?: unknown; say?: unknown };
    if (typeof code !== 'string' || !Array.isArray(say) || !say.every((s) => typeof s === 'string'))
      throw new Error(`${file}: line ${i + 1} needs "code" (text) and "say" (a list of texts)`);
    const first = lineOf.get(code);
    if (first !== undefined)
      throw new Error(
        `${file}: line ${i + 1} repeats procedure ${code} of line ${first}; put its names on one line`,
      );
    lineOf.set(code, i + 1);
    out.set(code, say as string[]);
  });
  return out;
}

/** The bundled table, read once. */
function bundled(): Map<string, string[]> {
  table ??= readEverydayNames(EVERYDAY_NAMES_FILE);
  return table;
}

/** A record's own everyday names (`ten_goi_thuong_dung`): a list, or a text split at ";" and new lines. */
export function recordEverydayNames(value: unknown): string[] {
  const items = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[;\n]/u)
      : [];
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/** The everyday names of procedure `code`: the record's own, then the bundled table's, without repeats. */
export function everydayNames(code: string, own: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of [...own, ...(bundled().get(code) ?? [])]) {
    const n = normalize(s).trim();
    if (n === '' || seen.has(n)) continue;
    seen.add(n);
    out.push(s.trim());
    if (out.length === MAX_EVERYDAY_NAMES) break;
  }
  return out;
}
