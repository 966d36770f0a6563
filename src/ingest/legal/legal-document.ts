import { nfc } from '../../text/index.js';
import { assertNotLegacyEncoded, slugFromPath } from '../file-text.js';
import { chunkHash, sha256Hex } from '../hash.js';
import type { Chunk, IngestedDocument, IngestOptions } from '../types.js';
import { chunkLegalTree, LEGAL_CHUNK_LIMIT, type LegalChunkContext } from './chunk-legal.js';
import { joinLines } from './clauses.js';
import { type LegalHeader, parseLegalHeader } from './header.js';
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

/** How the document is named: in citations ("Nghị định 123/2015/NĐ-CP", "Luật Hộ tịch") and as a title. */
export function documentNames(h: LegalHeader, fallback: string): { label: string; title: string } {
  const type = h.docType;
  if (type !== undefined && NAMED_TYPES.has(type) && h.title !== undefined) {
    const name = `${type} ${h.title}`;
    return { label: name, title: name };
  }
  if (h.number !== undefined) {
    const label = `${type ?? 'Văn bản'} ${h.number}`;
    return { label, title: h.title !== undefined ? `${label} ${lcFirst(h.title)}` : label };
  }
  if (type !== undefined && h.title !== undefined)
    return { label: `${type} ${lcFirst(h.title)}`, title: `${type} ${lcFirst(h.title)}` };
  return { label: h.title ?? fallback, title: h.title ?? fallback };
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
  const header = parseLegalHeader(headerText, text);
  const fileStem = (src.path.split(/[\\/]/).pop() ?? src.path).replace(/\.[^.]+$/, '');
  const names = documentNames(header, src.fallbackTitle ?? fileStem);
  const docId = header.number ?? slugFromPath(src.path);
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
  };
}
