import type { PDFParse } from 'pdf-parse';
import { AppError } from '../../errors.js';
import { buildLegalDocument } from '../legal/legal-document.js';
import { cleanOcrText, stripPageFurniture } from '../legal/layout.js';
import { DEFAULT_OCR_SETTINGS, type OcrPage, ocrPdfPages, ocrUnavailable } from '../ocr/tesseract.js';
import type { IngestedDocument, IngestOptions, LoadContext, Loader, SourceFile } from '../types.js';

/** True when `%PDF-` appears in the first kilobyte (some producers put junk before it). */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes(
    '%PDF-',
    0,
    'latin1',
  );
}

/**
 * pdf-parse (and the pdf.js under it) is loaded on the first PDF read rather than with this module:
 * it is about 200 MB of resident memory, which a serving process that never reads a PDF should not carry.
 */
let pdfParse: Promise<typeof import('pdf-parse')> | undefined;
const loadPdfParse = () => (pdfParse ??= import('pdf-parse'));

function classify(
  path: string,
  cause: unknown,
  lib: Pick<typeof import('pdf-parse'), 'InvalidPDFException' | 'PasswordException'> | undefined,
): AppError {
  const name = cause instanceof Error ? cause.name : '';
  const msg = cause instanceof Error ? cause.message : String(cause);
  if (
    (lib !== undefined && cause instanceof lib.PasswordException) ||
    name === 'PasswordException' ||
    /password/iu.test(msg)
  ) {
    return new AppError(
      'pdf_encrypted',
      `${path}: the PDF is password-protected (encrypted); remove the password and upload again`,
      { cause, source: path, reason: `${path}: tệp PDF có mật khẩu; hãy bỏ mật khẩu rồi tải lên.` },
    );
  }
  const detail =
    lib !== undefined && cause instanceof lib.InvalidPDFException
      ? 'the file is not a valid PDF'
      : `the PDF could not be read (${msg})`;
  return new AppError(
    'pdf_corrupt',
    `${path}: ${detail}; it may be damaged or truncated — export it again and upload`,
    {
      cause,
      source: path,
      reason: `${path}: tệp PDF bị hỏng hoặc không trọn vẹn, không đọc được; hãy xuất lại tệp rồi tải lên.`,
    },
  );
}

/** Extracts the text of each page with pdf-parse; errors become `pdf_corrupt` / `pdf_encrypted`. */
export async function extractPdfPages(path: string, bytes: Uint8Array): Promise<string[]> {
  let parser: PDFParse | undefined;
  let lib: typeof import('pdf-parse') | undefined;
  try {
    lib = await loadPdfParse();
    parser = new lib.PDFParse({ data: new Uint8Array(bytes) });
    const result = await parser.getText();
    const pages = [...result.pages].sort((a, b) => a.num - b.num).map((p) => p.text);
    return result.total > pages.length
      ? [...pages, ...Array<string>(result.total - pages.length).fill('')]
      : pages;
  } catch (cause) {
    throw classify(path, cause, lib);
  } finally {
    await parser?.destroy().catch(() => undefined);
  }
}

/** Letters below which a page counts as having no text layer (a scan, perhaps with a stamp's few words). */
const MIN_TEXT_LETTERS = 40;

function letters(text: string): number {
  return text.replace(/[^\p{L}]/gu, '').length;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Loads a PDF as a legal text with page numbers. Pages without a text layer are rendered and read
 * by OCR (only those pages, so a mixed PDF keeps its text layer elsewhere); without OCR a scanned
 * PDF is refused with the reason. Running headers, page numbers and the signature stamp are removed.
 */
export async function loadPdfFile(
  file: SourceFile,
  options: IngestOptions,
  context: LoadContext = {},
): Promise<IngestedDocument[]> {
  const pages = await extractPdfPages(file.path, file.bytes);
  if (pages.length === 0) {
    throw new AppError('pdf_empty', `${file.path}: the PDF has no pages`, {
      source: file.path,
      reason: `${file.path}: tệp PDF không có trang nào.`,
    });
  }
  const needOcr = pages.flatMap((p, i) => (letters(p) < MIN_TEXT_LETTERS ? [i + 1] : []));
  const settings = context.ocr ?? DEFAULT_OCR_SETTINGS;
  const warnings: string[] = [];
  let recognised: OcrPage[] = [];
  if (needOcr.length > 0) {
    const unavailable = await ocrUnavailable(settings);
    if (unavailable !== null) {
      if (needOcr.length === pages.length) {
        throw new AppError(
          'pdf_image_only',
          `${file.path}: the PDF has ${plural(pages.length, 'page')} but no text layer; it looks scanned — run OCR first (${unavailable})`,
          {
            source: file.path,
            reason: `${file.path}: tệp PDF là bản quét (${pages.length} trang, không có lớp chữ) và không nhận dạng chữ được vì ${unavailable}.`,
          },
        );
      }
      warnings.push(
        `${file.path}: ${needOcr.length} trang không có lớp chữ (trang ${needOcr.join(', ')}) chưa được nhận dạng vì ${unavailable}.`,
      );
    } else {
      recognised = await ocrPdfPages(file.path, file.bytes, needOcr, settings, context.onOcrProgress);
      for (const r of recognised) pages[r.page - 1] = cleanOcrText(r.text);
    }
  }
  const low = recognised
    .filter((r) => r.confidence < settings.minConfidence)
    .map((r) => ({ page: r.page, confidence: Math.round(r.confidence) }));
  if (low.length > 0) {
    warnings.push(
      `${file.path}: ${low.length} trang bản quét có độ tin cậy nhận dạng thấp (dưới ${settings.minConfidence}%): ${low.map((l) => `trang ${l.page} (${l.confidence}%)`).join(', ')}; nên kiểm tra lại nội dung.`,
    );
  }
  const scanned = new Set(recognised.map((r) => r.page));
  const doc = buildLegalDocument(
    { path: file.path, pages: stripPageFurniture(pages), paged: true, scannedPages: scanned },
    options,
  );
  if (scanned.size > 0) {
    doc.meta.scannedPages = [...scanned].sort((a, b) => a - b);
    if (low.length > 0) doc.meta.lowConfidencePages = low;
  }
  if (warnings.length > 0) doc.warnings = [...(doc.warnings ?? []), ...warnings];
  return [doc];
}

/** Loader for PDF files (sniffed by `%PDF-`). */
export const pdfLoader: Loader = {
  id: 'pdf',
  sniff: (file) => isPdf(file.bytes),
  load: loadPdfFile,
};
