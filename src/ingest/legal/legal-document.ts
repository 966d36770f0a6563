import { AppError } from '../../errors.js';
import { nfc } from '../../text/index.js';
import { assertNotLegacyEncoded, slugFromPath } from '../file-text.js';
import { chunkHash, sha256Hex } from '../hash.js';
import type { Chunk, IngestedDocument, IngestOptions } from '../types.js';
import { chunkLegalTree, LEGAL_CHUNK_LIMIT, type LegalChunkContext } from './chunk-legal.js';
import { joinLines } from './clauses.js';
import { dateFromFileName, type LegalHeader, numberFromFileName, parseLegalHeader } from './header.js';
import { chunkLongText } from './long-text.js';
import { parseLegalStructure } from './structure.js';

/** Input of `buildLegalDocument`: the text of each page (one element for formats without pages). */
export interface LegalSource {
  path: string;
  pages: string[];
  /** Whether `pages` are real pages (PDF) whose numbers go on chunks. */
  paged: boolean;
  /** Title to use when the header has none (e.g. an HTML <title>). */
  fallbackTitle?: string;
  /** Pages (1-based) whose text was read by OCR. */
  scannedPages?: ReadonlySet<number>;
}

const NAMED_TYPES = new Set(['Luật', 'Bộ luật', 'Hiến pháp', 'Pháp lệnh']);

function lcFirst(s: string): string {
  return s.charAt(0).toLocaleLowerCase('vi') + s.slice(1);
}

/** The document an annex file is attached to, as cited: "Quyết định …/QĐ-UBND ngày 27/02/2024". */
function annexParentLabel(h: LegalHeader): string | undefined {
  const p = h.annexOf;
  if (p === undefined) return undefined;
  const num = p.number ?? (p.suffix !== undefined ? `…/${p.suffix}` : undefined);
  const date =
    p.date !== undefined
      ? ` ngày ${p.date.split('-').reverse().join('/')}`
      : p.year !== undefined
        ? ` năm ${p.year}`
        : '';
  return `${p.type}${num !== undefined ? ` ${num}` : ''}${date}`;
}

/** How the document is named: in citations ("Nghị định 123/2015/NĐ-CP", "Luật Hộ tịch") and as a title. */
export function documentNames(h: LegalHeader, fallback: string): { label: string; title: string } {
  const type = h.docType;
  const parent = annexParentLabel(h);
  if (type === 'Phụ lục') {
    const label = `Phụ lục${h.annexLabel !== undefined ? ` ${h.annexLabel}` : ''}${parent !== undefined ? ` ${parent}` : ''}`;
    return { label, title: h.title !== undefined ? `${label}: ${h.title}` : label };
  }
  if (type !== undefined && NAMED_TYPES.has(type) && h.title !== undefined) {
    const name = `${type} ${h.title}`;
    return { label: name, title: name };
  }
  const number = h.number ?? (h.unnumbered ? `…/${h.numberSuffix ?? ''}`.replace(/\/$/u, '') : undefined);
  if (number !== undefined) {
    const label = `${type ?? 'Văn bản'} ${number}`;
    return { label, title: h.title !== undefined ? `${label} ${lcFirst(h.title)}` : label };
  }
  if (type !== undefined && h.title !== undefined)
    return { label: `${type} ${lcFirst(h.title)}`, title: `${type} ${lcFirst(h.title)}` };
  return { label: h.title ?? fallback, title: h.title ?? fallback };
}

/** Issuers below the national level: their numbers repeat across provinces ("01/2024/QĐ-UBND"). */
const LOCAL_ISSUER = /\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|SỞ)\b/u;
const LOCAL_NUMBER = /(?:UBND|HĐND|-SỞ|-S[A-ZĐ]{2,})/u;

/**
 * A document's id: its number for national documents, whose number names the issuer ("NĐ-CP",
 * "QH15"); number and issuer for local ones ("01/2024/QĐ-UBND@ubnd-tinh-lang-son"); under its
 * document for an annex; else the file name's slug.
 */
export function documentId(h: LegalHeader, path: string): string {
  if (h.docType === 'Phụ lục') {
    const parent = h.annexOf?.number;
    return parent !== undefined
      ? `${parent}/phu-luc-${(h.annexLabel ?? slugFromPath(path)).toLowerCase()}`
      : slugFromPath(path);
  }
  if (h.number === undefined) return slugFromPath(path);
  const local = LOCAL_NUMBER.test(h.number) || (h.issuer !== undefined && LOCAL_ISSUER.test(h.issuer));
  if (!local) return h.number;
  return `${h.number}@${h.issuer !== undefined ? slugFromPath(h.issuer) : slugFromPath(path)}`;
}

/** Fills what a header leaves unreadable or blank from the file name, when the two agree; says so in a warning. */
function completeFromFileName(h: LegalHeader, path: string, warnings: string[]): LegalHeader {
  const stem = (path.split(/[\\/]/).pop() ?? path).replace(/\.[^.]+$/, '');
  const out = { ...h };
  if (h.number === undefined && h.unreadableNumber !== undefined) {
    const named = numberFromFileName(stem);
    const readable = h.unreadableNumber
      .split('/')
      .slice(1)
      .filter((p) => /^[\p{L}\d-]+$/u.test(p));
    if (
      named !== null &&
      readable.length > 0 &&
      readable.every((p) => named.toLowerCase().includes(p.toLowerCase()))
    ) {
      out.number = named;
      warnings.push(
        `${path}: số hiệu trên văn bản không đọc được («${h.unreadableNumber}»), lấy theo tên tệp: ${named}.`,
      );
    } else {
      warnings.push(
        `${path}: số hiệu trên văn bản không đọc được («${h.unreadableNumber}»); hãy sửa số hiệu trong trang quản trị.`,
      );
    }
  }
  const fileDate = dateFromFileName(stem);
  if (fileDate !== null) {
    const year = Number(fileDate.slice(0, 4));
    if (h.signedDate === undefined && h.signedYear === year) out.signedDate = fileDate;
    if (
      h.annexOf !== undefined &&
      h.annexOf.date === undefined &&
      (h.annexOf.year === undefined || h.annexOf.year === year)
    ) {
      out.annexOf = { ...h.annexOf, date: fileDate, year };
    }
  }
  if (h.unnumbered)
    warnings.push(`${path}: văn bản chưa có số (dự thảo hoặc bản chưa ký: «Số: …/${h.numberSuffix ?? ''}»).`);
  return out;
}

/** Joins page texts and returns a function mapping a text offset to its 1-based page number. */
function joinPages(pages: string[]): { text: string; pageOf(offset: number): number } {
  const starts: number[] = [];
  let text = '';
  pages.forEach((p, i) => {
    if (i > 0) text += '\n\n';
    starts.push(text.length);
    text += p;
  });
  return {
    text,
    pageOf(offset: number): number {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    },
  };
}

/**
 * A legal document from the whole text of a file without pages (Word, RTF); a file with no text is
 * refused as `empty_file`, naming the format for the administrator.
 */
export function unpagedLegalDocument(
  path: string,
  text: string,
  format: string,
  options: IngestOptions = {},
): IngestedDocument {
  if (text.trim() === '') {
    throw new AppError('empty_file', `${path}: the ${format} document contains no text`, {
      source: path,
      reason: `${path}: tệp ${format} không có chữ nào.`,
    });
  }
  return buildLegalDocument({ path, pages: [text.replace(/\u00a0/g, ' ')], paged: false }, options);
}

/**
 * Builds a legal document from extracted text: header metadata, structure tree and chunks
 * (or paragraph chunks via `chunkLongText` when no Điều is found). Throws `legacy_encoding`.
 */
export function buildLegalDocument(src: LegalSource, options: IngestOptions = {}): IngestedDocument {
  const joined = joinPages(src.pages.map((p) => nfc(p).replace(/\r\n?/g, '\n')));
  const text = joined.text;
  assertNotLegacyEncoded(src.path, text);
  const tree = parseLegalStructure(text);
  const headerText =
    tree.articles.length > 0 ? joinLines(tree.preamble) : text.split('\n').slice(0, 60).join('\n');
  const warnings: string[] = [];
  const header = completeFromFileName(parseLegalHeader(headerText, text), src.path, warnings);
  const fileStem = (src.path.split(/[\\/]/).pop() ?? src.path).replace(/\.[^.]+$/, '');
  const names = documentNames(header, src.fallbackTitle ?? fileStem);
  const docId = documentId(header, src.path);
  const ctx: LegalChunkContext = {
    docId,
    docLabel: names.label,
    docTitle: names.title,
    crumb: header.number ?? names.title,
    pageOf: (offset) => (src.paged ? joined.pageOf(offset) : undefined),
    isScanned: (page) => src.scannedPages?.has(page) ?? false,
  };
  const chunks: Chunk[] =
    tree.articles.length > 0
      ? chunkLegalTree(tree, ctx)
      : chunkLongText(text, LEGAL_CHUNK_LIMIT - 200).map((p, i) => ({
          id: `${docId}#p${i + 1}`,
          docId,
          ordinal: i,
          text: p.text,
          heading: names.title,
          breadcrumb: [ctx.crumb],
          citation: names.label,
          contentHash: chunkHash(names.title, p.text),
          ...(src.paged ? { page: joined.pageOf(p.start) } : {}),
          ...(src.paged && src.scannedPages?.has(joined.pageOf(p.start)) ? { scanned: true } : {}),
        }));
  const effectiveDate = options.effectiveDate ?? header.effectiveDate;
  return {
    meta: {
      id: docId,
      kind: 'legal',
      title: names.title,
      ...(header.number !== undefined ? { number: header.number } : {}),
      ...(header.docType !== undefined ? { docType: header.docType } : {}),
      ...(header.issuer !== undefined ? { issuer: header.issuer } : {}),
      ...(header.signedDate !== undefined ? { signedDate: header.signedDate } : {}),
      ...(header.place !== undefined ? { place: header.place } : {}),
      ...(header.unnumbered ? { unnumbered: true } : {}),
      ...(header.docType === 'Phụ lục' ? { annexOf: annexParentLabel(header) ?? 'văn bản chưa rõ' } : {}),
      ...(effectiveDate !== undefined ? { effectiveDate } : {}),
      ...(options.expiryDate !== undefined ? { expiryDate: options.expiryDate } : {}),
      ...(options.replaces !== undefined ? { replaces: options.replaces } : {}),
      status: options.status ?? 'con_hieu_luc',
      audience: options.audience ?? 'public',
      source: src.path,
      contentHash: sha256Hex(text),
      ...(src.paged ? { pages: src.pages.length } : {}),
    },
    chunks,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
