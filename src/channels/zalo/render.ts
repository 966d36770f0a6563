import { pageNote } from '../../answer/extractive.js';
import type { Answer } from '../../answer/types.js';
import { sourcePath } from '../source-page.js';

/** Zalo's limit for one text message (DESIGN §6). */
export const ZALO_TEXT_LIMIT = 2000;

/** At most this many messages per answer: replies within 48 hours are free only up to 8 per window. */
export const ZALO_MAX_PARTS = 4;

/**
 * Renders an answer as plain-text Zalo messages: the answer, its sources as short labels with
 * links, and the follow-ups numbered so that the user can reply with the number (the numbers are
 * the conversation's options, so "2" picks the second). Split on paragraph, then line, then
 * sentence boundaries so that no message exceeds `limit`.
 */
export function renderZalo(
  answer: Answer,
  options: { publicBaseUrl?: string; limit?: number; maxParts?: number } = {},
): string[] {
  const limit = options.limit ?? ZALO_TEXT_LIMIT;
  const maxParts = options.maxParts ?? ZALO_MAX_PARTS;
  const blocks = [answer.answer.trim()];
  if (answer.citations.length > 0) {
    const lines = answer.citations.map((c) => {
      const page = pageNote(c) !== '' ? ` (${pageNote(c)})` : '';
      // The portal page when the record has one, else this server's page of the passage.
      const url =
        c.url ??
        (options.publicBaseUrl ? `${options.publicBaseUrl}${sourcePath(c.sourceId, c.chunkId)}` : undefined);
      return `[${c.n}] ${c.label}${page}${url ? `\n${url}` : ''}`;
    });
    blocks.push(`Nguồn:\n${lines.join('\n')}`);
  }
  // A decline for want of a match, or after "sai rồi", already numbers its suggestions in the text;
  // one that found the procedure but not the detail asked offers its follow-ups like an answer.
  if (answer.followUps.length > 0 && answer.intent !== 'out_of_scope' && answer.intent !== 'rejection') {
    const heading =
      answer.outcome === 'smalltalk'
        ? 'Bạn có thể hỏi, ví dụ (trả lời bằng số để chọn):'
        : 'Bạn có thể hỏi tiếp (trả lời bằng số để chọn):';
    blocks.push([heading, ...answer.followUps.map((f, i) => `${i + 1}. ${f}`)].join('\n'));
  }
  return splitMessage(blocks.filter((b) => b !== '').join('\n\n'), limit, maxParts);
}

/**
 * Splits text into messages of at most `limit` characters on the widest boundary that fits:
 * paragraphs, then lines (list items), then sentences, then spaces. Beyond `maxParts` the last
 * message says the rest was cut.
 */
export function splitMessage(text: string, limit = ZALO_TEXT_LIMIT, maxParts = ZALO_MAX_PARTS): string[] {
  const pieces = pack(text.trim(), limit, ['\n\n', '\n', '. ', ' ']);
  if (pieces.length <= maxParts) return pieces;
  const note = '\n\n(Nội dung còn dài, bạn vui lòng xem đầy đủ tại đường dẫn nguồn hoặc hỏi cụ thể hơn.)';
  const kept = pieces.slice(0, maxParts);
  const last = kept[maxParts - 1]!;
  kept[maxParts - 1] =
    length(last) + length(note) <= limit
      ? last + note
      : [...last].slice(0, limit - length(note) - 1).join('') + '…' + note;
  return kept;
}

/** Length in characters (code points), as a user counts them; an emoji is one. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Greedy packing of the pieces split at `separators[0]`; a piece too long is split at the next separator. */
function pack(text: string, limit: number, separators: string[]): string[] {
  if (length(text) <= limit) return text === '' ? [] : [text];
  const [sep, ...rest] = separators;
  if (sep === undefined) {
    // No boundary left: cut on code points, never inside a surrogate pair.
    const chars = [...text];
    const out: string[] = [];
    for (let i = 0; i < chars.length; i += limit) out.push(chars.slice(i, i + limit).join(''));
    return out;
  }
  const parts = text.split(sep);
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < parts.length; i++) {
    // Keep the separator with the piece before it ('. ' keeps its full stop).
    const piece = i < parts.length - 1 ? parts[i]! + sep.trimEnd() : parts[i]!;
    const joiner = current === '' ? '' : sep === '. ' ? ' ' : sep;
    if (length(current) + length(joiner) + length(piece) <= limit) {
      current = current + joiner + piece;
      continue;
    }
    if (current !== '') out.push(current.trim());
    if (length(piece) <= limit) current = piece;
    else {
      const sub = pack(piece.trim(), limit, rest);
      out.push(...sub.slice(0, -1));
      current = sub.at(-1) ?? '';
    }
  }
  if (current.trim() !== '') out.push(current.trim());
  return out.filter((p) => p !== '');
}
