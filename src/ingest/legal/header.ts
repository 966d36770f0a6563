import { canonicalDocumentNumber, findDates } from '../../text/index.js';

/** Metadata read from a legal document's header ("CHÍNH PHỦ … Số: … NGHỊ ĐỊNH …"). */
export interface LegalHeader {
  number?: string;
  docType?: string;
  issuer?: string;
  signedDate?: string;
  effectiveDate?: string;
  /** The subject line(s) after the type, e.g. "Quy định chi tiết … Luật Hộ tịch". */
  title?: string;
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
const NATIONAL =
  /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc/giu;
const NUMBER_RE = /\b(?:Luật\s+|Bộ luật\s+)?[Ss]ố\s*[:.]?\s*(\d[\w/\-Đđ.]*[\wĐđ])/u;
const STOP_TITLE =
  /^(Căn cứ|Theo đề nghị|Xét đề nghị|Chương|CHƯƠNG|Phần|PHẦN|Điều\s+\d|[-_*=]{3,}|(?:QUYẾT ĐỊNH|QUYẾT NGHỊ)\s*:?$)/u;

/** "NGHỊ ĐỊNH" → "Nghị định". */
export function sentenceCase(text: string): string {
  const lower = text.toLocaleLowerCase('vi');
  return lower.charAt(0).toLocaleUpperCase('vi') + lower.slice(1);
}

function issuerFrom(lines: string[]): string | undefined {
  const parts: string[] = [];
  for (const raw of lines) {
    const t = raw
      .replace(NATIONAL, ' ')
      .replace(/[-_=]{2,}/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (/[Ss]ố\s*[:.]/u.test(t) || /ngày\s+\d/u.test(t)) break;
    if (t === '') continue;
    if (!/^[\p{Lu}\s,.&-]+$/u.test(t)) break;
    parts.push(t);
  }
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** Reads number, type, issuer, signing date, subject line and effective date from a legal text. */
export function parseLegalHeader(preamble: string, fullText: string): LegalHeader {
  const header: LegalHeader = {};
  const lines = preamble.split('\n').slice(0, 60);
  const iss = issuerFrom(lines);
  if (iss !== undefined) header.issuer = iss;
  const num = NUMBER_RE.exec(lines.join('\n'));
  if (num?.[1] !== undefined) header.number = canonicalDocumentNumber(num[1]) ?? num[1];
  const typeIdx = lines.findIndex((l) => TYPES.includes(l.replace(/\s+/g, ' ').trim()));
  const beforeType = typeIdx < 0 ? lines : lines.slice(0, typeIdx);
  const signed = findDates(beforeType.join('\n'))[0];
  if (signed !== undefined) header.signedDate = signed.iso;
  if (typeIdx >= 0) {
    header.docType = sentenceCase((lines[typeIdx] ?? '').replace(/\s+/g, ' ').trim());
    const titleLines: string[] = [];
    for (const l of lines.slice(typeIdx + 1)) {
      const t = l.trim();
      if (t === '') {
        if (titleLines.length > 0) break;
        continue;
      }
      if (STOP_TITLE.test(t) || titleLines.length >= 4) break;
      titleLines.push(t);
    }
    const title = titleLines.join(' ').replace(/\s+/g, ' ').trim();
    if (title !== '') header.title = /^[\p{Lu}\s,.-]+$/u.test(title) ? sentenceCase(title) : title;
  }
  const eff = /có hiệu lực(?:\s+thi hành)?\s+(?:kể\s+)?từ\s+ngày\s+[^.;\n]{0,40}/iu.exec(fullText);
  const effDate = eff === null ? undefined : findDates(eff[0])[0];
  if (effDate !== undefined) header.effectiveDate = effDate.iso;
  return header;
}
