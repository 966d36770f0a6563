import { createHash } from 'node:crypto';

/** sha256 of a string (UTF-8) or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Chunk content hash: sha256 of heading + "\n" + text. */
export function chunkHash(heading: string, text: string): string {
  return sha256Hex(`${heading}\n${text}`);
}
