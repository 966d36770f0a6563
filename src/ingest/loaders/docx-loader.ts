import mammoth from 'mammoth';
import { AppError } from '../../errors.js';
import { unpagedLegalDocument } from '../legal/legal-document.js';
import { htmlToText } from './html-loader.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

/** True when the bytes start with a ZIP local-file header ("PK\x03\x04"). */
export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/** True when a ZIP lists `word/document.xml` (names are stored uncompressed, so a byte search suffices). */
export function zipHasWordDocument(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(
    'word/document.xml',
    0,
    'latin1',
  );
}

/** Loads a Word .docx file via mammoth (as HTML, so line breaks and table rows survive). */
export async function loadDocxFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  if (!isZip(file.bytes) || !zipHasWordDocument(file.bytes)) {
    const why = isZip(file.bytes) ? 'a ZIP archive without word/document.xml' : 'not a ZIP archive';
    throw new AppError(
      'docx_unreadable',
      `${file.path}: not a Word document (${why}); save it as .docx from Word and upload again`,
      {
        source: file.path,
        reason: `${file.path}: không phải tệp Word (${isZip(file.bytes) ? 'tệp nén ZIP không có nội dung Word' : 'không phải định dạng .docx'}); hãy lưu lại dạng .docx từ Word rồi tải lên.`,
      },
    );
  }
  let text: string;
  try {
    // HTML rather than raw text: line breaks inside a paragraph ("NGHỊ ĐỊNH<br>Về …") and table rows survive.
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(file.bytes) });
    text = htmlToText(result.value).text;
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new AppError(
      'docx_unreadable',
      `${file.path}: the Word document could not be read (${why}); open and re-save it in Word`,
      {
        cause,
        source: file.path,
        reason: `${file.path}: không đọc được tệp Word; hãy mở bằng Word và lưu lại.`,
      },
    );
  }
  return [unpagedLegalDocument(file.path, text, 'Word', options)];
}

/** Loader for Word .docx files (sniffed by ZIP magic). */
export const docxLoader: Loader = {
  id: 'docx',
  sniff: (file) => isZip(file.bytes),
  load: loadDocxFile,
};
