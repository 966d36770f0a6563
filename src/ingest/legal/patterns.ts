/** A line of the source text and the offset of its first character. */
export interface Line {
  text: string;
  start: number;
}

/** Vietnamese alphabet order of Điểm labels ("đ)" follows "d)"). */
export const POINT_LETTERS = [
  'a',
  'b',
  'c',
  'd',
  'đ',
  'e',
  'g',
  'h',
  'i',
  'k',
  'l',
  'm',
  'n',
  'o',
  'p',
  'q',
  'r',
  's',
  't',
  'u',
  'v',
  'x',
  'y',
];

export const PART_RE = /^(PHẦN|Phần)\s+(THỨ\s+[\p{L}]+|thứ\s+[\p{L}]+|[IVXLC]+|\d+)\b\.?\s*(.*)$/u;
export const CHAPTER_RE = /^(CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b\.?\s*(.*)$/u;
export const SECTION_RE = /^(MỤC|Mục)\s+(\d+|[IVXLC]+)\b\.?\s*(.*)$/u;
export const SUBSECTION_RE = /^(TIỂU MỤC|Tiểu mục)\s+(\d+)\b\.?\s*(.*)$/u;
/** "Điều 12. Title" (also "Điều 12: Title"); a bare "Điều 12 Title" is accepted only after a sentence end. */
export const ARTICLE_RE = /^Điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$/u;
export const ARTICLE_LOOSE_RE = /^Điều\s+(\d+[a-zđ]?)\s+(\p{Lu}.*)$/u;
/** "PHỤ LỤC I", "Phụ lục số 02", "PHỤ LỤC": an annex heading; group 1 is its label. */
export const ANNEX_RE = /^(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?([IVXLC]+|\d+[a-z]?))?\b/u;
/** "1. Text": a number, a dot and a space, so "01.01.2020" and "1.000 đồng" never match. */
export const CLAUSE_RE = /^(\d{1,3})\.\s+(\S.*)$/u;
export const POINT_RE = /^([a-zđ])\)\s*(\S.*)$/u;
/** Consolidated texts' footnote markers: "[1]", "[12]". */
export const FOOTNOTE_RE = /\s*\[\d{1,3}\]/gu;

/** Removes footnote markers and trailing whitespace from a heading. */
export function cleanHeading(text: string): string {
  return text.replace(FOOTNOTE_RE, '').replace(/\s+/g, ' ').trim();
}

/** True when a line is written in capitals (a chapter or section title such as "QUY ĐỊNH CHUNG"). */
export function isUpperTitle(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** The label that must follow `label` in a Điểm sequence ("d" → "đ"), or null at the end. */
export function nextPointLetter(label: string): string | null {
  const i = POINT_LETTERS.indexOf(label);
  return i < 0 ? null : (POINT_LETTERS[i + 1] ?? null);
}

/** Splits text into lines with offsets (line breaks: \n, \r\n, \r, form feed). */
export function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /[^\n\r\f]*(?:\r\n|[\n\r\f]|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null && m[0] !== '') {
    out.push({ text: m[0].replace(/[\r\n\f]+$/u, ''), start: m.index });
    if (re.lastIndex >= text.length) break;
  }
  return out;
}
