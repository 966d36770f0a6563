import { InvalidPDFException, PasswordException, PDFParse } from 'pdf-parse';
import { AppError } from '../../errors.js';
import { buildLegalDocument } from '../legal/legal-document.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

/** True when `%PDF-` appears in the first kilobyte (some producers put junk before it). */
export function isPdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes(
    '%PDF-',
    0,
    'latin1',
  );
}

function classify(path: string, cause: unknown): AppError {
  const name = cause instanceof Error ? cause.name : '';
  const msg = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof PasswordException || name === 'PasswordException' || /password/iu.test(msg)) {
    return new AppError(
      'pdf_encrypted',
      `${path}: the PDF is password-protected (encrypted); remove the password and upload again`,
      { cause, source: path },
    );
  }
  const detail =
    cause instanceof InvalidPDFException
      ? 'the file is not a valid PDF'
      : `the PDF could not be read (${msg})`;
  return new AppError(
    'pdf_corrupt',
    `${path}: ${detail}; it may be damaged or truncated — export it again and upload`,
    { cause, source: path },
  );
}

/** Extracts the text of each page with pdf-parse; errors become `pdf_corrupt` / `pdf_encrypted`. */
export async function extractPdfPages(path: string, bytes: Uint8Array): Promise<string[]> {
  let parser: PDFParse | undefined;
  try {
    parser = new PDFParse({ data: new Uint8Array(bytes) });
    const result = await parser.getText();
    const pages = [...result.pages].sort((a, b) => a.num - b.num).map((p) => p.text);
    return result.total > pages.length
      ? [...pages, ...Array<string>(result.total - pages.length).fill('')]
      : pages;
  } catch (cause) {
    throw classify(path, cause);
  } finally {
    await parser?.destroy().catch(() => undefined);
  }
}

/** Loads a PDF as a legal text with page numbers; empty, scanned and legacy-encoded PDFs are rejected by name. */
export async function loadPdfFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  const pages = await extractPdfPages(file.path, file.bytes);
  if (pages.length === 0) {
    throw new AppError('pdf_empty', `${file.path}: the PDF has no pages`, { source: file.path });
  }
  if (pages.every((p) => p.replace(/\s+/g, '') === '')) {
    throw new AppError(
      'pdf_image_only',
      `${file.path}: the PDF has ${pages.length} page${pages.length === 1 ? '' : 's'} but no text layer; it looks scanned — run OCR first`,
      { source: file.path },
    );
  }
  return [buildLegalDocument({ path: file.path, pages, paged: true }, options)];
}

/** Loader for PDF files (sniffed by `%PDF-`). */
export const pdfLoader: Loader = {
  id: 'pdf',
  sniff: (file) => isPdf(file.bytes),
  load: loadPdfFile,
};
