import { canonicalDocumentNumber, findDates } from '../../text/index.js';
import { ANNEX_RE } from './patterns.js';

/** Metadata read from a legal document's header ("CHÍNH PHỦ … Số: … NGHỊ ĐỊNH …"). */
export interface LegalHeader {
  number?: string;
  docType?: string;
  issuer?: string;
  signedDate?: string;
  effectiveDate?: string;
  /** The subject line(s) after the type, e.g. "Quy định chi tiết … Luật Hộ tịch". */
  title?: string;
  /** Place of signing, from "Hà Nội, ngày … tháng … năm …". */
  place?: string;
  /** The year of a date whose day or month is left blank ("ngày   tháng   năm 2026"). */
  signedYear?: number;
  /** True when the number is left blank ("Số:    /QĐ-UBND": a draft or an unsigned copy). */
  unnumbered?: boolean;
  /** What follows the blank number ("QĐ-UBND"). */
  numberSuffix?: string;
  /** What stands after "Số:" when it is not a number (a scan's handwritten number read as "4/#'/2020/TT-BCA"). */
  unreadableNumber?: string;
  /** For an annex (Phụ lục) published on its own: its label ("1", "II") … */
  annexLabel?: string;
  /** … and the document it is attached to ("Kèm theo Quyết định số …/QĐ-UBND ngày … của …"). */
  annexOf?: {
    type: string;
    number?: string;
    suffix?: string;
    year?: number;
    date?: string | undefined;
    issuer?: string;
  };
}

const TYPES = [
  'VĂN BẢN HỢP NHẤT',
  'THÔNG TƯ LIÊN TỊCH',
  'NGHỊ QUYẾT LIÊN TỊCH',
  'BỘ LUẬT',
  'HIẾN PHÁP',
  'PHÁP LỆNH',
  'LUẬT',
  'NGHỊ ĐỊNH',
  'THÔNG TƯ',
  'QUYẾT ĐỊNH',
  'NGHỊ QUYẾT',
  'CHỈ THỊ',
  'KẾ HOẠCH',
  'HƯỚNG DẪN',
  'THÔNG BÁO',
  'CÔNG VĂN',
  'LỆNH',
];
/** The national motto, also as OCR misreads it ("CỘNG HÒA XÃ HỌI CHỦ NGHĨA VIỆT NAM."). */
const NATIONAL =
  /C\S{1,3}NG\s*H\S{1,3}\s*X\S\s*H\S{1,3}\s*CH\S{1,2}\s*NGH\S{1,3}\s*VI\S{1,3}T\s*NAM\.?|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc/giu;
/** "Số: 158/2025/NĐ-CP", "Luật số: 26/2023/QH15", "Số:      /QĐ-UBND"; "Số 12/…" only at a line start. */
const NUMBER_LINE =
  /(?:^|\s)(?:(?:Luật|Bộ luật|Pháp lệnh|Lệnh|Nghị quyết)\s+)?[Ss][ốô]\s*[:.]\s*(.*)$|^\s*Số\s+(\d.*)$/u;
/** "Hà Nội, ngày 25 tháng 6 năm 2025" (day and month may be left blank in a draft). */
const PLACE_DATE =
  /(?:^|\s)([\p{Lu}][\p{L} .]{1,30}?),\s*ngày\s*([\d.…]*)\s*tháng\s*([\d.…]*)\s*năm\s*((?:19|20)\d{2})/u;
const SUBJECT_LINE = /^V\/v\.?\s*(.+)$/iu;
const ATTACHED_TO =
  /Kèm theo\s+(Quyết định|Nghị định|Thông tư liên tịch|Thông tư|Nghị quyết|Công văn|Kế hoạch|Chỉ thị)\s+(?:số\s*:?\s*)?([^\s(]*)\s*(?:ngày\s*([\d.…]*)\s*(?:tháng|\/)\s*([\d.…]*)\s*(?:năm|\/)\s*((?:19|20)\d{2}))?\s*(?:của\s+([^)]+))?\)?/iu;
/** Symbols OCR and table exports leave at a line's ends ("'LUẬT:", "- CHƯƠNG I -"). */
const EDGE_JUNK = /^[\s\-–—_'‘’"“”.,:;|~*¬ˆ`•·]+|[\s\-–—_'‘’"“”.,:;|~*¬ˆ`•·]+$/gu;
const STOP_TITLE =
  /^(Căn cứ|Theo đề nghị|Xét đề nghị|Chương|CHƯƠNG|Phần|PHẦN|Điều\s+\d|Kính gửi|[-_*=]{3,}|(?:QUYẾT ĐỊNH|QUYẾT NGHỊ)\s*:?$)/u;
/** Issuers OCR often runs together ("CHÍNHPHỦ"), matched without spaces. */
const KNOWN_ISSUERS = [
  'CHÍNH PHỦ',
  'QUỐC HỘI',
  'ỦY BAN THƯỜNG VỤ QUỐC HỘI',
  'THỦ TƯỚNG CHÍNH PHỦ',
  'CHỦ TỊCH NƯỚC',
];
/** Section headings of the gazette that sit above the issuer. */
const GAZETTE_SECTIONS = /^(?:VĂN BẢN QUY PHẠM PHÁP LUẬT|VĂN BẢN HỢP NHẤT|VĂN BẢN KHÁC)$/u;

/** "NGHỊ ĐỊNH" → "Nghị định". */
export function sentenceCase(text: string): string {
  const lower = text.toLocaleLowerCase('vi');
  return lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

/** The header's issuer: the capitalised lines before the number line, without the national motto. */
function issuerFrom(lines: string[]): string | undefined {
  const parts: string[] = [];
  for (const raw of lines) {
    const t = raw
      .replace(NATIONAL, ' ')
      .replace(/[-_=]{2,}|\|/g, ' ')
      .replace(EDGE_JUNK, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (NUMBER_LINE.test(raw) || /ngày\s+\d/u.test(t)) break;
    if (t === '' || GAZETTE_SECTIONS.test(t)) continue;
    if (!/^[\p{Lu}\s,.&-]+$/u.test(t)) break;
    const known = KNOWN_ISSUERS.find((k) => squash(k) === squash(t));
    const name = known ?? t;
    if (parts[parts.length - 1] !== name) parts.push(name);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function twoDigits(s: string): number | null {
  const n = Number(s);
  return s !== '' && Number.isInteger(n) ? n : null;
}

function isoDate(day: number, month: number, year: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** What follows "Số:": a number, a blank one ("/QĐ-UBND"), or unreadable characters (a scan). */
function readNumber(after: string): { number?: string; suffix?: string; unreadable?: string } {
  const token = (
    after
      .replace(/\s*([/-])\s*/g, '$1')
      .trim()
      .split(/\s+/)[0] ?? ''
  ).replace(/[.,;:]+$/u, '');
  if (token === '' || /^[./…_\t]*\/?[\p{L}&]/u.test(token)) {
    const suffix = token.replace(/^[./…_]+/u, '');
    return suffix !== '' ? { suffix } : {};
  }
  const number = canonicalDocumentNumber(token);
  return number !== null ? { number } : { unreadable: token };
}

/** A number spelled in a file name ("Thong tu 148.2020.TT_BCA", "nghi_dinh_19_2019_ND_CP"), or null. */
export function numberFromFileName(stem: string): string | null {
  const m =
    /(?<![\p{N}])(\d{1,5})[\s._-]+((?:19|20)\d{2})[\s._-]+([A-ZĐ]{1,6}(?:[\s_-][A-ZĐ]{1,8}\d{0,2}){0,2})(?![\p{L}\p{N}])/u.exec(
      stem,
    );
  if (m === null) return null;
  return canonicalDocumentNumber(`${m[1]}/${m[2]}/${(m[3] ?? '').replace(/[\s_]/g, '-')}`);
}

/** "ngay 27-2-2024" in a file name, as ISO, or null. */
export function dateFromFileName(stem: string): string | null {
  const m = /ng[aà]y[\s_-]*(\d{1,2})[-._](\d{1,2})[-._]((?:19|20)\d{2})/iu.exec(stem);
  return m === null ? null : (isoDate(Number(m[1]), Number(m[2]), Number(m[3])) ?? null);
}

/** Reads the legal header: number (or a blank one), type, issuer, place and date of signing, subject line, annex link, effective date. */
export function parseLegalHeader(preamble: string, fullText: string): LegalHeader {
  const header: LegalHeader = {};
  const lines = preamble
    .split('\n')
    .slice(0, 60)
    .map((l) => l.replace(/\t+/g, '  '));
  const early = lines.slice(0, 30);
  const annexAt = early.findIndex((l) => ANNEX_RE.test(l.replace(EDGE_JUNK, '')));
  if (annexAt >= 0 && annexAt <= 3) {
    const label = ANNEX_RE.exec(lines[annexAt]!.replace(EDGE_JUNK, ''))?.[1];
    const attached = ATTACHED_TO.exec(
      early
        .slice(annexAt, annexAt + 15)
        .join(' ')
        .replace(/\s+/g, ' '),
    );
    header.docType = 'Phụ lục';
    if (label !== undefined) header.annexLabel = label;
    if (attached !== null) {
      const [, type, num, day, month, year, issuer] = attached;
      const n = readNumber(num ?? '');
      const d = twoDigits(day ?? ''),
        mo = twoDigits(month ?? '');
      header.annexOf = {
        type: sentenceCase(type ?? ''),
        ...(n.number !== undefined ? { number: n.number } : {}),
        ...(n.suffix !== undefined ? { suffix: n.suffix } : {}),
        ...(year !== undefined ? { year: Number(year) } : {}),
        ...(d !== null && mo !== null && year !== undefined ? { date: isoDate(d, mo, Number(year)) } : {}),
        ...(issuer !== undefined ? { issuer: issuer.trim() } : {}),
      };
    }
    const titleLines: string[] = [];
    for (const l of lines.slice(annexAt + 1)) {
      const t = l.replace(EDGE_JUNK, '').trim();
      if (t === '' || /^\(?Kèm theo/iu.test(t) || titleLines.length >= 6) break;
      titleLines.push(t);
    }
    const title = titleLines.join(' ').replace(/\s+/g, ' ').trim();
    if (title !== '') header.title = /^[\p{Lu}\s,.\-–()]+$/u.test(title) ? sentenceCase(title) : title;
    return header;
  }
  const iss = issuerFrom(lines);
  if (iss !== undefined) header.issuer = iss;
  const numberAt = early.findIndex((l) => NUMBER_LINE.test(l));
  if (numberAt >= 0) {
    const m = NUMBER_LINE.exec(early[numberAt]!);
    const read = readNumber(m?.[1] ?? m?.[2] ?? '');
    if (read.number !== undefined) header.number = read.number;
    else if (read.unreadable !== undefined) header.unreadableNumber = read.unreadable;
    else {
      header.unnumbered = true;
      if (read.suffix !== undefined) header.numberSuffix = read.suffix;
    }
  }
  const dateAt = early.findIndex((l) => PLACE_DATE.test(l));
  let typeIdx = -1;
  let typeRest = '';
  for (const [i, raw] of lines.entries()) {
    const t = raw.replace(EDGE_JUNK, '').replace(/\s+/g, ' ').trim();
    const type = TYPES.find(
      (ty) => t === ty || (t.startsWith(ty) && /^\s?\p{Lu}\p{Ll}/u.test(t.slice(ty.length))),
    );
    if (type !== undefined) {
      typeIdx = i;
      // "NGHỊ ĐỊNH Về đăng ký …" (a line break lost) starts the title; "NGHỊ ĐỊNH Ngày: …" is a stamp beside it.
      const rest = t.slice(type.length).trim();
      typeRest = /[:/\d]/u.test(rest) ? '' : rest;
      header.docType = sentenceCase(type);
      break;
    }
    const upperType = TYPES.find((ty) => t.startsWith(`${ty} `) && /^[\p{Lu}\s]+$/u.test(t));
    if (upperType !== undefined && i > numberAt && numberAt >= 0) {
      typeIdx = i;
      typeRest = t.slice(upperType.length + 1);
      header.docType = sentenceCase(upperType);
      break;
    }
  }
  if (dateAt >= 0) {
    const m = PLACE_DATE.exec(early[dateAt]!);
    if (m !== null) {
      const place = m[1]!.replace(EDGE_JUNK, '').trim();
      if (!/^(Số|Luật)\b/u.test(place)) header.place = place;
      const d = twoDigits((m[2] ?? '').replace(/[.…]/g, '')),
        mo = twoDigits((m[3] ?? '').replace(/[.…]/g, ''));
      const iso = d !== null && mo !== null ? isoDate(d, mo, Number(m[4])) : undefined;
      if (iso !== undefined) header.signedDate = iso;
      else header.signedYear = Number(m[4]);
    }
  } else {
    const beforeType = typeIdx < 0 ? early.slice(0, 12) : lines.slice(0, typeIdx);
    const signed = findDates(beforeType.join('\n'))[0];
    if (signed !== undefined) header.signedDate = signed.iso;
  }
  const titleLines: string[] = typeRest !== '' ? [typeRest] : [];
  if (typeIdx >= 0) {
    for (const l of lines.slice(typeIdx + 1)) {
      const t = l.replace(EDGE_JUNK, '').trim();
      if (t === '') {
        if (titleLines.length > 0) break;
        continue;
      }
      if (STOP_TITLE.test(t) || titleLines.length >= 4) break;
      titleLines.push(t);
    }
  } else {
    const subject = early.map((l) => SUBJECT_LINE.exec(l.trim())).find((m) => m !== null);
    if (subject) {
      header.docType = 'Công văn';
      titleLines.push(subject[1]!.trim());
    }
  }
  const title = titleLines.join(' ').replace(/\s+/g, ' ').trim();
  if (title !== '') header.title = /^[\p{Lu}\s,.-]+$/u.test(title) ? sentenceCase(title) : title;
  const eff = /có hiệu lực(?:\s+thi hành)?\s+(?:kể\s+)?từ\s+ngày\s+[^.;\n]{0,40}/iu.exec(fullText);
  const effDate = eff === null ? undefined : findDates(eff[0])[0];
  if (effDate !== undefined) header.effectiveDate = effDate.iso;
  return header;
}
