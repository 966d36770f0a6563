/**
 * Layout clean-up of page texts before the legal-structure parser sees them: the gazette's running
 * headers ("CÔNG BÁO/Số 35 + 36/Ngày 08-01-2024  33"), bare page numbers, lines repeated at the top
 * or bottom of most pages, the e-signature stamp of signed PDFs, and what OCR typically breaks
 * (split diacritics, "Điều l." for "Điều 1.", hyphenation, stamp and signature noise).
 */

/** "CÔNG BÁO/Số 35 + 36/Ngày 08-01-2024 33", "34 CÔNG BÁO/Số 851 + 852/Ngày 01-7-2025". */
const GAZETTE_HEADER =
  /^\s*(?:\d{1,4}\s+)?C[ÔO]NG\s*B[ÁA]O\s*\/?\s*S[ốo]\s*[\d+\s]+\/?\s*Ngày\s*[\d\s./-]+?(?:\s+\d{1,4})?\s*$/iu;
/** A page number alone on a line: "4", "- 12 -", "Trang 3", "3/25". */
const PAGE_NUMBER = /^\s*(?:[-–]\s*)?(?:Trang\s+)?\d{1,4}(?:\s*\/\s*\d{1,4})?(?:\s*[-–])?\s*$/iu;
/** The stamp a digital signature prints on the first page. */
const SIGNATURE_STAMP =
  /^\s*(?:Email|E-mail|Cơ quan)\s*:|(?:^|\s)(?:Ký bởi|Người ký|Thời gian ký|Ngày ký)\s*:|C[ỔÔO]NG\s*THÔNG\s*TIN\s*ĐIỆN\s*T[ỬƯU]/iu;
const EDGE_LINES = 3;

function masked(line: string): string {
  return line.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function edgeIndexes(lines: string[]): number[] {
  const nonEmpty = lines.map((l, i) => (l.trim() === '' ? -1 : i)).filter((i) => i >= 0);
  return [...new Set([...nonEmpty.slice(0, EDGE_LINES), ...nonEmpty.slice(-EDGE_LINES)])];
}

/**
 * Removes running headers and footers from each page: gazette headers, bare page numbers at a
 * page's top or bottom, lines (digits masked) repeated at the edges of at least half the pages
 * (from three pages on), and the e-signature stamp lines at the top of the first page.
 */
export function stripPageFurniture(pages: string[]): string[] {
  const split = pages.map((p) => p.split('\n'));
  const counts = new Map<string, number>();
  for (const lines of split) {
    const seen = new Set(edgeIndexes(lines).map((i) => masked(lines[i] ?? '')));
    for (const m of seen) if (m.length >= 4) counts.set(m, (counts.get(m) ?? 0) + 1);
  }
  const repeatedFloor = Math.max(3, Math.ceil(pages.length / 2));
  return split.map((lines, pageIndex) => {
    const drop = new Set<number>();
    for (const i of edgeIndexes(lines)) {
      const line = lines[i] ?? '';
      if (GAZETTE_HEADER.test(line) || PAGE_NUMBER.test(line)) drop.add(i);
      else if (pages.length >= 3 && (counts.get(masked(line)) ?? 0) >= repeatedFloor) drop.add(i);
    }
    if (pageIndex === 0) {
      for (const [i, line] of lines.slice(0, 12).entries()) if (SIGNATURE_STAMP.test(line)) drop.add(i);
    }
    return lines.filter((_, i) => !drop.has(i)).join('\n');
  });
}

/** Characters OCR reads for digits inside numbers: l, I, | and ! for 1; O and o for 0. */
function digitsOf(token: string): string {
  return token.replace(/[lI|!]/g, '1').replace(/[Oo]/g, '0');
}

const DIGITISH = /(?<![\p{L}\p{N}])(?=[\dlI|O]*\d)[\dlI|O]{2,}(?![\p{L}\p{N}])/gu;
const NUMBERED_HEADING = /^(\s*)(Điều|Khoản|Chương|Mục)\s+([\dlIL|!O]{1,4})(\s*[.:]|\s+(?=\p{Lu}))/gmu;
const LEADING_JUNK =
  /^[\s\-–—'‘’"“”|.,:;_~*•·]+(?=(?:Chương|CHƯƠNG|Điều|Mục|MỤC|Phần|PHẦN|Phụ lục|PHỤ LỤC)\b)/gmu;

/** Share of a line's visible characters that are letters or digits. */
function wordShare(line: string): number {
  const visible = line.replace(/\s+/g, '');
  if (visible === '') return 1;
  const words = visible.replace(/[^\p{L}\p{N}]/gu, '');
  return words.length / visible.length;
}

/**
 * Repairs what OCR typically breaks in Vietnamese legal text: diacritics split from their letter
 * ("Nghi ̣"), digits read as letters in numbers and headings ("Điều l.", "tháng l1", "2O20"),
 * words hyphenated at a line end, and lines of stamp or signature noise (mostly symbols, or a
 * single stray character).
 */
export function cleanOcrText(text: string): string {
  let t = text
    .normalize('NFD')
    .replace(/[ \t]+(\p{M})/gu, '$1')
    .normalize('NFC');
  t = t.replace(NUMBERED_HEADING, (_m, sp: string, word: string, num: string, tail: string) => {
    const n = word === 'Chương' || word === 'Mục' ? num : num.replace(/L/g, '1');
    return `${sp}${word} ${/^[IVXLC]+$/.test(n) && word !== 'Điều' && word !== 'Khoản' ? n : digitsOf(n)}${tail}`;
  });
  t = t.replace(DIGITISH, (tok) => digitsOf(tok));
  t = t.replace(/(\p{L})-\n(\p{Ll})/gu, '$1$2');
  t = t.replace(LEADING_JUNK, '');
  return t
    .split('\n')
    .map((l) => l.replace(/\s+$/u, ''))
    .filter((l) => {
      const s = l.trim();
      if (s === '') return true;
      if (s.length <= 2 && !/^\d+$/.test(s)) return false;
      return wordShare(s) >= 0.6;
    })
    .join('\n');
}
