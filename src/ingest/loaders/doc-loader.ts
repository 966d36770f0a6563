import WordExtractor from 'word-extractor';
import { AppError } from '../../errors.js';
import { unpagedLegalDocument } from '../legal/legal-document.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

/** The OLE compound-file signature of Word 97–2003 `.doc` (also .xls/.ppt; the loader checks for a Word stream). */
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** True when the bytes start with the OLE compound-file signature. */
export function isOle(bytes: Uint8Array): boolean {
  return OLE_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Loads a Word 97–2003 binary `.doc` with `word-extractor` (pure JavaScript: no LibreOffice on
 * the server; about 10 ms for a 40-page law). Table cells come out tab-separated, one row a line.
 */
export async function loadDocFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  let text: string;
  try {
    const doc = await new WordExtractor().extract(Buffer.from(file.bytes));
    text = doc.getBody();
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new AppError(
      'docx_unreadable',
      `${file.path}: the Word 97–2003 file could not be read (${why}); open it in Word and save it as .docx`,
      {
        cause,
        source: file.path,
        reason: `${file.path}: không đọc được tệp Word 97–2003 (.doc) — có thể là tệp Excel/PowerPoint cũ hoặc tệp hỏng; hãy mở bằng Word và lưu lại dạng .docx.`,
      },
    );
  }
  return [unpagedLegalDocument(file.path, text, 'Word', options)];
}

/** Loader for Word 97–2003 `.doc` files (sniffed by the OLE signature, whatever the extension). */
export const docLoader: Loader = {
  id: 'doc',
  sniff: (file) => isOle(file.bytes),
  load: loadDocFile,
};
