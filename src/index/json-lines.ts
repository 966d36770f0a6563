/**
 * Snapshot lists (documents, passages) as JSON Lines, read and written one item at a time. Reading
 * a 43 MB `chunks.json` as one string cost ~64 MB of transient heap (Vietnamese text is stored as
 * two-byte strings) on top of the parsed objects, and that moment was the serving process's peak.
 */
import { open, readFile } from 'node:fs/promises';
import { StringPool } from './intern.js';

/** Lines parsed between two turns of the event loop while reading. */
const YIELD_EVERY = 500;

/** Items per write: bounds the size of the strings built while writing. */
const WRITE_BATCH = 256;

/** Writes items as JSON Lines to a new file. */
export async function writeJsonLines(file: string, items: readonly unknown[]): Promise<void> {
  const fh = await open(file, 'w');
  try {
    for (let i = 0; i < items.length; i += WRITE_BATCH) {
      const lines = items.slice(i, i + WRITE_BATCH).map((item) => `${JSON.stringify(item)}\n`);
      await fh.write(lines.join(''));
    }
  } finally {
    await fh.close();
  }
}

/**
 * Parses JSON Lines from a file line by line, passing each item through the pool so repeated
 * strings are stored once. Throws SyntaxError naming the line when one is not valid JSON.
 */
export async function readJsonLines<T>(file: string, pool: StringPool = new StringPool()): Promise<T[]> {
  const bytes = await readFile(file);
  const out: T[] = [];
  let line = 0;
  for (let start = 0; start < bytes.length; line++) {
    // A live server loads a new snapshot beside the one in service: let requests through now and then.
    if (line % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((r) => setImmediate(r));
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      try {
        out.push(pool.intern(JSON.parse(bytes.toString('utf8', start, end)) as T));
      } catch (err) {
        throw new SyntaxError(`line ${line + 1}: ${(err as Error).message}`, { cause: err });
      }
    }
    start = end + 1;
  }
  return out;
}
