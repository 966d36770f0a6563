import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` so that a crash at any moment leaves either the old or the new content: writes
 * `tmp` (default a hidden name beside it), fsyncs it, renames it over `file` and fsyncs the folder.
 */
export async function writeFileDurably(
  file: string,
  data: string | Uint8Array,
  tmp = path.join(path.dirname(file), `.tmp-${randomBytes(6).toString('hex')}`),
): Promise<void> {
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
  await fsyncPath(path.dirname(file));
}

/** fsync a file or a directory entry table. */
export async function fsyncPath(p: string): Promise<void> {
  const fh = await open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync every file and folder under `dir`, children first. */
export async function fsyncTree(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const p = path.join(dir, name);
    if ((await stat(p)).isDirectory()) await fsyncTree(p);
    else await fsyncPath(p);
  }
  await fsyncPath(dir);
}

/** True when a file-system error says the path does not exist (ENOENT). */
export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === 'ENOENT';
}
