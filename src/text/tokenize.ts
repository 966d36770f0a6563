/**
 * Tokens are syllables (DESIGN §4.4); entities are recognised first and kept as single tokens
 * (DESIGN §4.6); stopwords are a short list of particles only (DESIGN §4.5).
 */
import { findDates, findDocumentNumbers, findProcedureCodes } from './entities.js';
import { normalize } from './normalize.js';

/**
 * Particles and forms of address that carry no meaning in a question. Deliberately short:
 * "không", "được", "phải", "chưa", "bao nhiêu", "ngày", "nào", "gì", "đâu" stay searchable.
 */
const STOPWORDS = new Set([
  'thì',
  'là',
  'mà',
  'của',
  'và',
  'các',
  'những',
  'với',
  'ạ',
  'à',
  'ơi',
  'nhé',
  'nhỉ',
  'nha',
  'hả',
  'hở',
  'vậy',
  'thế',
  'này',
  'đó',
  'ấy',
  'kia',
  'dạ',
  'vâng',
  'rồi',
  'cũng',
  'đã',
  'đang',
  'sẽ',
  'tôi',
  'em',
  'mình',
  'hỏi',
]);

export function isStopword(token: string): boolean {
  return STOPWORDS.has(token);
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;
const GROUPED_NUMBER = /(?<![\p{N}.,])\d{1,3}(?:[.,]\d{3})+(?![\p{N}]|[.,]\d)/gu;

interface Span {
  index: number;
  end: number;
  token: string;
}

/** Every entity pattern (document numbers, procedure codes, dates, grouped numbers) needs an ASCII digit. */
const DIGIT = /[0-9]/;

/** Whole-token entities in normalised text, non-overlapping, in order. */
function entitySpans(text: string): Span[] {
  const spans: Span[] = [];
  if (!DIGIT.test(text)) return spans;
  for (const m of findDocumentNumbers(text))
    spans.push({ index: m.index, end: m.index + m.length, token: m.token });
  for (const m of findProcedureCodes(text))
    spans.push({ index: m.index, end: m.index + m.length, token: m.base.toLowerCase() });
  for (const m of findDates(text)) {
    if (/^\d/.test(m.text)) spans.push({ index: m.index, end: m.index + m.length, token: m.iso });
  }
  // Grouped numbers ("70.000", "1,500,000") become plain digits, the way amounts are compared.
  for (const m of text.matchAll(GROUPED_NUMBER)) {
    spans.push({
      index: m.index,
      end: m.index + m[0].length,
      token: String(Number(m[0].replace(/[.,]/g, ''))),
    });
  }
  spans.sort((a, b) => a.index - b.index || b.end - a.end);
  const kept: Span[] = [];
  let reach = -1;
  for (const s of spans) {
    if (s.index >= reach) {
      kept.push(s);
      reach = s.end;
    }
  }
  return kept;
}

/** Splits normalised text into syllable tokens, with entities as single tokens. Never contains whitespace. */
export function tokenize(text: string): string[] {
  const norm = normalize(text);
  const out: string[] = [];
  let at = 0;
  for (const s of entitySpans(norm)) {
    pushWords(norm.slice(at, s.index), out);
    out.push(s.token.replace(/\s+/g, ''));
    at = s.end;
  }
  pushWords(at === 0 ? norm : norm.slice(at), out);
  return out;
}

/** Appends the words of a piece of text to `out`. */
function pushWords(segment: string, out: string[]): void {
  WORD.lastIndex = 0;
  for (let m = WORD.exec(segment); m !== null; m = WORD.exec(segment)) out.push(m[0]);
}

/** Adjacent pairs joined with "_" ("hồ", "sơ" → "hồ_sơ"). */
export function bigrams(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}_${tokens[i + 1]}`);
  return out;
}
