import { AppError } from '../errors.js';
import { detectLegacyEncoding } from '../text/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Decodes UTF-8 bytes (BOM stripped); invalid UTF-8 → `unsupported_format` naming the file. */
export function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch (cause) {
    throw new AppError(
      'unsupported_format',
      `${path}: the file is not valid UTF-8 text; save it as UTF-8 (Unicode) and upload again`,
      {
        cause,
        source: path,
        reason: `${path}: tệp văn bản không ở bảng mã UTF-8 (Unicode); hãy lưu lại dạng UTF-8 rồi tải lên.`,
      },
    );
  }
}

/** Throws `legacy_encoding` when text looks like TCVN3/VNI font garbage. */
export function assertNotLegacyEncoded(path: string, text: string): void {
  const hit = detectLegacyEncoding(text);
  if (hit === null) return;
  throw new AppError(
    'legacy_encoding',
    `${path}: the text is in the legacy ${hit.encoding} encoding (e.g. "${hit.sample}"), not Unicode; ` +
      'convert it to Unicode (e.g. with UniKey) and upload again',
    {
      source: path,
      reason: `${path}: văn bản dùng bảng mã cũ ${hit.encoding} (ví dụ «${hit.sample}»), không phải Unicode; hãy chuyển mã (ví dụ bằng UniKey) rồi tải lên.`,
    },
  );
}

/** File name without folders and extension, as a lowercase ASCII slug ("Nghị định 01.pdf" → "nghi-dinh-01"). */
export function slugFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  const stem = base.replace(/\.[^.]+$/, '');
  const slug = stem
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'document' : slug;
}
