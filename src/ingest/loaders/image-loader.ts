import { AppError } from '../../errors.js';
import { buildLegalDocument } from '../legal/legal-document.js';
import { cleanOcrText } from '../legal/layout.js';
import { DEFAULT_OCR_SETTINGS, ocrImage, ocrUnavailable } from '../ocr/tesseract.js';
import type { IngestedDocument, IngestOptions, LoadContext, Loader, SourceFile } from '../types.js';

/** The image formats tesseract reads, by their first bytes. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | 'tiff' | null {
  const b = bytes;
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (
    (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0x00) ||
    (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0x00 && b[3] === 0x2a)
  )
    return 'tiff';
  return null;
}

/** Loads a scanned page photographed or scanned to PNG, JPEG or TIFF, read by OCR; one page. */
export async function loadImageFile(
  file: SourceFile,
  options: IngestOptions,
  context: LoadContext = {},
): Promise<IngestedDocument[]> {
  const settings = context.ocr ?? DEFAULT_OCR_SETTINGS;
  const unavailable = await ocrUnavailable(settings);
  if (unavailable !== null) {
    throw new AppError(
      'pdf_image_only',
      `${file.path}: the file is an image of a page; OCR is not available (${unavailable})`,
      {
        source: file.path,
        reason: `${file.path}: tệp là ảnh chụp/quét văn bản và không nhận dạng chữ được vì ${unavailable}.`,
      },
    );
  }
  context.onOcrProgress?.(0, 1);
  const page = await ocrImage(file.path, file.bytes, settings);
  context.onOcrProgress?.(1, 1);
  const text = cleanOcrText(page.text);
  if (text.replace(/[^\p{L}]/gu, '').length < 40) {
    throw new AppError('not_a_document', `${file.path}: OCR found almost no text in the image`, {
      source: file.path,
      reason: `${file.path}: ảnh gần như không có chữ đọc được (độ tin cậy ${Math.round(page.confidence)}%); hãy quét lại rõ hơn (300 dpi).`,
    });
  }
  const doc = buildLegalDocument(
    { path: file.path, pages: [text], paged: true, scannedPages: new Set([1]) },
    options,
  );
  doc.meta.scannedPages = [1];
  if (page.confidence < settings.minConfidence) {
    doc.meta.lowConfidencePages = [{ page: 1, confidence: Math.round(page.confidence) }];
    doc.warnings = [
      ...(doc.warnings ?? []),
      `${file.path}: ảnh có độ tin cậy nhận dạng thấp (${Math.round(page.confidence)}%); nên kiểm tra lại nội dung.`,
    ];
  }
  return [doc];
}

/** Loader for images of document pages (PNG, JPEG, TIFF). */
export const imageLoader: Loader = {
  id: 'image',
  sniff: (file) => imageKind(file.bytes) !== null,
  load: loadImageFile,
};
