import { AppError } from '../../errors.js';

/** What the answer prompt tells the model to say when the passages do not answer the question. */
export const NOT_FOUND_ANSWER = 'Tôi không tìm thấy thông tin này trong tài liệu';

// "[1]", "[1][2]" (two matches) and "[1, 2]" / "[1; 2]" (one group).
const MARKER_GROUP = /\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]/g;

/** The [n] markers of an answer, each once, in order of first appearance. */
export function extractMarkers(text: string): number[] {
  const seen = new Set<number>();
  for (const m of text.matchAll(MARKER_GROUP)) {
    for (const part of (m[1] ?? '').split(/[,;]/)) seen.add(Number(part.trim()));
  }
  return [...seen];
}

/** Returns the answer's markers; throws AppError('llm_invalid_citation') when there are none or one cites no given passage. */
export function checkMarkers(text: string, given: readonly number[]): number[] {
  const markers = extractMarkers(text);
  if (markers.length === 0) {
    const declined = text.normalize('NFC').toLowerCase().includes(NOT_FOUND_ANSWER.toLowerCase());
    throw new AppError(
      'llm_invalid_citation',
      declined
        ? 'the model declined: the passages do not answer the question'
        : 'the answer cites no passage',
    );
  }
  const allowed = new Set(given);
  const unknown = markers.filter((n) => !allowed.has(n));
  if (unknown.length > 0) {
    const list = (ns: readonly number[]): string => ns.map((n) => `[${n}]`).join(', ');
    throw new AppError(
      'llm_invalid_citation',
      `the answer cites ${list(unknown)}, but only ${list(given)} were given`,
    );
  }
  return markers;
}
