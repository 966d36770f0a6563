/**
 * Recognisers for entities that must survive tokenisation whole (DESIGN §4.6): legal document
 * numbers, national procedure codes, dates and amounts of money.
 */

/** A recognised entity: where it is and what it normalises to. */
export interface EntityMatch {
  index: number;
  length: number;
  text: string;
}

export interface DocumentNumberMatch extends EntityMatch {
  /** Display form: upper case, no spaces ("123/2015/NĐ-CP"). */
  canonical: string;
  /** Lower-case token form with leading zeros of the serial removed ("123/2015/nđ-cp"). */
  token: string;
}

export interface ProcedureCodeMatch extends EntityMatch {
  /** The code as written ("1.001612.000.00.00.H01"). */
  code: string;
  /** The national base code ("1.001612"). */
  base: string;
}

export interface DateMatch extends EntityMatch {
  /** ISO date, yyyy-mm-dd. */
  iso: string;
}

export interface MoneyMatch extends EntityMatch {
  /** Amount in đồng. */
  amount: number;
}

const L = 'A-Za-zĐđ';
/**
 * Document numbers: `123/2015/NĐ-CP`, `01/2022/TT-BTP`, `119/QĐ-UBND`, `03/VBHN-VPQH`,
 * `59/2020/QH14`, and the party form `49-NQ/TU`.
 */
const DOC_NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}./-])(?:` +
    String.raw`(\d{1,5}[a-z]?)\s?\/\s?(?:((?:19|20)\d{2})\s?\/\s?)?([${L}]{1,10}\d{0,2}(?:-[${L}]{1,12}\d{0,2}){0,3})` +
    '|' +
    String.raw`(\d{1,5})-([${L}]{1,6})\/([${L}]{1,8})` +
    String.raw`)(?![\p{L}\p{N}])`,
  'gu',
);

/** Upper-cases letters of a document number, keeping đ → Đ. */
function upper(s: string): string {
  return s.toUpperCase();
}

/** Finds legal document numbers in any case ("123/2015/nd-cp" as well as "123/2015/NĐ-CP"). */
export function findDocumentNumbers(text: string): DocumentNumberMatch[] {
  const out: DocumentNumberMatch[] = [];
  for (const m of text.matchAll(DOC_NUMBER)) {
    let serial: string;
    let rest: string;
    if (m[1] !== undefined) {
      const kind = m[3] ?? '';
      // "1/2" or "3/4" fractions have no letters; a bare "5/ngày" is not a number either.
      if (!/[A-Za-zĐđ]/u.test(kind)) continue;
      if (m[2] === undefined && !kind.includes('-') && !/\d/.test(kind) && !/^[A-ZĐ]+$/u.test(kind)) continue;
      serial = m[1];
      rest = `${m[2] !== undefined ? `/${m[2]}` : ''}/${upper(kind)}`;
    } else {
      serial = m[4] ?? '';
      rest = `-${upper(m[5] ?? '')}/${upper(m[6] ?? '')}`;
    }
    const canonical = `${serial}${rest}`.replace(/\s+/g, '');
    const token = `${serial.replace(/^0+(?=\d)/, '')}${rest}`.toLowerCase();
    out.push({ index: m.index, length: m[0].length, text: m[0], canonical, token });
  }
  return out;
}

/** Display form of a document number, or null when the text is not one. */
export function canonicalDocumentNumber(text: string): string | null {
  const m = findDocumentNumbers(text.trim())[0];
  return m && m.length === text.trim().length ? m.canonical : null;
}

/** Comparison key of a document number: token form, folded ("123/2015/NĐ-CP" and "123/2015/nd-cp" agree). */
export function documentNumberKey(text: string): string {
  const m = findDocumentNumbers(text.trim())[0];
  const token = m ? m.token : text.trim().toLowerCase();
  return token.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd');
}

/** National procedure codes: `1.001193`, `2.000488.000.00.00.H47`. */
const PROCEDURE_CODE =
  /(?<![\p{L}\p{N}.])([123]\.\d{6})((?:\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?)(?![\p{N}])/gu;

export function findProcedureCodes(text: string): ProcedureCodeMatch[] {
  const out: ProcedureCodeMatch[] = [];
  for (const m of text.toUpperCase().matchAll(PROCEDURE_CODE)) {
    const code = m[0];
    out.push({
      index: m.index,
      length: code.length,
      text: text.slice(m.index, m.index + code.length),
      code,
      base: m[1] ?? code,
    });
  }
  return out;
}

/** The national base of a procedure code ("1.001612.000.00.00.H01" → "1.001612"). */
export function baseProcedureCode(code: string): string {
  return /^[123]\.\d{6}/.exec(code.trim())?.[0] ?? code.trim();
}

const NUMERIC_DATE = /(?<![\p{N}/.-])(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?\2\s?((?:19|20)\d{2})(?![\p{N}])/gu;
const WORDED_DATE = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})/giu;

function iso(day: number, month: number, year: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Dates written "15/11/2014", "15-11-2014" or "ngày 15 tháng 11 năm 2014", in text order. */
export function findDates(text: string): DateMatch[] {
  const out: DateMatch[] = [];
  for (const m of text.matchAll(NUMERIC_DATE)) {
    const d = iso(Number(m[1]), Number(m[3]), Number(m[4]));
    if (d) out.push({ index: m.index, length: m[0].length, text: m[0], iso: d });
  }
  for (const m of text.matchAll(WORDED_DATE)) {
    const d = iso(Number(m[1]), Number(m[2]), Number(m[3]));
    if (d) out.push({ index: m.index, length: m[0].length, text: m[0], iso: d });
  }
  return out.sort((a, b) => a.index - b.index);
}

const MONEY =
  /(?<![\p{N}.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s?(triệu|nghìn|ngàn|tỷ|tỉ|k)?\s?(đồng|vnđ|vnd|đ)(?![\p{L}])/giu;
const SCALE: Record<string, number> = { triệu: 1e6, nghìn: 1e3, ngàn: 1e3, tỷ: 1e9, tỉ: 1e9, k: 1e3 };

/** Amounts of money: "70.000 đồng", "1,500,000 VNĐ", "50 nghìn đồng", "2 triệu đồng". */
export function findMoney(text: string): MoneyMatch[] {
  const out: MoneyMatch[] = [];
  for (const m of text.matchAll(MONEY)) {
    const digits = m[1] ?? '';
    const scale = SCALE[(m[2] ?? '').toLowerCase()] ?? 1;
    const grouped = /^\d{1,3}(?:[.,]\d{3})+$/.test(digits);
    const value = grouped ? Number(digits.replace(/[.,]/g, '')) : Number(digits.replace(',', '.'));
    if (!Number.isFinite(value)) continue;
    out.push({ index: m.index, length: m[0].length, text: m[0], amount: Math.round(value * scale) });
  }
  return out;
}
