import { AppError } from '../errors.js';

/** One parsed JSON Lines record and its 1-based line number. */
export interface JsonLine {
  line: number;
  value: Record<string, unknown>;
}

/**
 * Parses JSON Lines text; every non-empty line must be a JSON object. All-or-nothing: the first
 * bad line throws `json_malformed` naming the file and the line number.
 */
export function parseJsonLines(path: string, text: string): JsonLine[] {
  const out: JsonLine[] = [];
  let start = 0;
  let line = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new AppError(
        'json_malformed',
        `${path}: line ${line} is not valid JSON (${why}); nothing from this file was indexed`,
        {
          cause,
          source: `${path}:${line}`,
          reason: `${path}: dòng ${line} không phải JSON hợp lệ; chưa có nội dung nào của tệp được đưa vào.`,
        },
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new AppError(
        'json_malformed',
        `${path}: line ${line} is not a JSON object; nothing from this file was indexed`,
        {
          source: `${path}:${line}`,
          reason: `${path}: dòng ${line} không phải một đối tượng JSON; chưa có nội dung nào của tệp được đưa vào.`,
        },
      );
    }
    out.push({ line, value: value as Record<string, unknown> });
  }
  return out;
}

/** The first non-empty line parsed as a JSON object, or null (used to sniff JSONL flavours). */
export function firstJsonObject(text: string): Record<string, unknown> | null {
  const firstLine = text.split('\n', 50).find((l) => l.trim() !== '');
  if (firstLine === undefined) return null;
  try {
    const v: unknown = JSON.parse(firstLine);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A record's field as a trimmed string ('' when missing, not a string/number, or "Không có thông tin"). */
export function field(rec: Record<string, unknown>, key: string): string {
  const v = rec[key];
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  const t = s.trim();
  return /^(không có thông tin|không có|không)\.?$/iu.test(t) ? '' : t;
}

/** `firstJsonObject` over raw bytes: decodes only up to the end of the first non-empty line (≤ 8 MB). */
export function firstJsonObjectOfBytes(bytes: Uint8Array): Record<string, unknown> | null {
  const limit = Math.min(bytes.length, 8 * 1024 * 1024);
  let start = 0;
  while (start < limit) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1 || end > limit) end = limit;
    const line = new TextDecoder().decode(bytes.subarray(start, end)).trim();
    if (line !== '') return firstJsonObject(line);
    start = end + 1;
  }
  return null;
}
