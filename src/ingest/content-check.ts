import { AppError } from '../errors.js';
import type { IngestedDocument, LoaderId } from './types.js';

/** What web servers answer instead of a file: "404 - File or directory not found.", "403 Forbidden", … */
const ERROR_PAGE =
  /\b(?:40[0-9]|41[0-9]|50[0-9])\b[^\n]{0,40}\b(?:not found|forbidden|error|unauthori[sz]ed|bad gateway|unavailable)\b|\b(?:file or directory not found|page not found|access denied|trang không tồn tại|không tìm thấy trang)\b/iu;
/** Letters below which a text with no number and no Điều is not a document. */
const MIN_LETTERS = 150;

/** Each format as an administrator names it. */
export const FORMAT_NAMES: Record<LoaderId, string> = {
  pdf: 'PDF',
  docx: 'Word .docx',
  doc: 'Word 97–2003 (.doc)',
  rtf: 'RTF',
  image: 'ảnh',
  html: 'trang HTML',
  text: 'văn bản thuần',
  'procedures-jsonl': 'bản ghi thủ tục JSON Lines',
  'beir-jsonl': 'kho văn bản JSON Lines',
};

/**
 * Checks that a loaded file is a document: an error page saved under a document's name, or a text
 * with almost no letters, is refused with the reason; a text with no number, type or Điều is kept
 * with a warning the administrator sees.
 */
export function checkContent(path: string, loader: LoaderId, doc: IngestedDocument): IngestedDocument {
  const text = doc.chunks.map((c) => c.text).join('\n');
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  const head = `${doc.meta.title}\n${text.slice(0, 600)}`;
  if (letters < 3000 && ERROR_PAGE.test(head) && doc.meta.number === undefined) {
    const shown = (ERROR_PAGE.exec(head)?.[0] ?? doc.meta.title).trim();
    throw new AppError(
      'not_a_document',
      `${path}: the file is a web server's error page ("${shown}"), not a document`,
      {
        source: path,
        reason: `${path}: tệp là trang báo lỗi của máy chủ web («${doc.meta.title.slice(0, 80)}»${loader === 'html' ? ', dạng HTML' : ''}), không phải văn bản; hãy tải lại tệp gốc.`,
      },
    );
  }
  const hasArticles = doc.chunks.some((c) => c.article !== undefined);
  if (letters < MIN_LETTERS && doc.meta.number === undefined && !hasArticles) {
    throw new AppError('not_a_document', `${path}: the file holds almost no text (${letters} letters)`, {
      source: path,
      reason: `${path}: tệp gần như không có chữ (${letters} chữ cái), không đủ để là một văn bản.`,
    });
  }
  const warnings = [...(doc.warnings ?? [])];
  if (
    doc.meta.number === undefined &&
    doc.meta.docType === undefined &&
    !hasArticles &&
    doc.meta.annexOf === undefined
  ) {
    warnings.push(
      `${path}: không nhận ra số hiệu, loại văn bản hay Điều nào (${FORMAT_NAMES[loader]}); văn bản vẫn được đưa vào và tìm được, nhưng nên kiểm tra lại.`,
    );
  }
  return warnings.length > 0 ? { ...doc, warnings } : doc;
}
