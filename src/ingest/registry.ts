import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppError } from '../errors.js';
import { beirJsonlLoader } from './beir/beir-loader.js';
import { sha256Hex } from './hash.js';
import { firstJsonObjectOfBytes } from './jsonl.js';
import { checkContent, FORMAT_NAMES } from './content-check.js';
import { docLoader } from './loaders/doc-loader.js';
import { docxLoader } from './loaders/docx-loader.js';
import { htmlLoader } from './loaders/html-loader.js';
import { imageLoader } from './loaders/image-loader.js';
import { pdfLoader } from './loaders/pdf-loader.js';
import { rtfLoader } from './loaders/rtf-loader.js';
import { textLoader } from './loaders/text-loader.js';
import { proceduresJsonlLoader } from './procedure/procedures-loader.js';
import type { IngestedDocument, IngestOptions, LoadContext, Loader, LoaderId, SourceFile } from './types.js';

/** Result of ingesting one file: its documents, or the reason it was rejected. */
export type FileResult =
  | { path: string; fileHash: string; ok: true; documents: IngestedDocument[]; warnings: string[] }
  | { path: string; fileHash: string; ok: false; error: AppError };

/** Extensions picked up when walking a folder. */
export const LOADABLE_EXTENSIONS = new Set([
  '.pdf',
  '.docx',
  '.doc',
  '.rtf',
  '.png',
  '.jpg',
  '.jpeg',
  '.tif',
  '.tiff',
  '.txt',
  '.md',
  '.markdown',
  '.html',
  '.htm',
  '.jsonl',
  '.ndjson',
]);
const EXTENSION_LOADER: Record<string, LoaderId> = {
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.doc': 'doc',
  '.rtf': 'rtf',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.tif': 'image',
  '.tiff': 'image',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
  '.md': 'text',
  '.markdown': 'text',
};
/** The loaders in sniffing order (content first; text is the fallback). */
export function createLoaderRegistry(): Loader[] {
  return [
    pdfLoader,
    docxLoader,
    docLoader,
    rtfLoader,
    imageLoader,
    htmlLoader,
    proceduresJsonlLoader,
    beirJsonlLoader,
    textLoader,
  ];
}

/** Binary content no loader reads, named for the reason. */
function unreadableBinary(bytes: Uint8Array): { en: string; vi: string } | null {
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (head.startsWith('GIF8'))
    return {
      en: 'a GIF image; scan the page to PNG, JPEG, TIFF or PDF',
      vi: 'ảnh GIF; hãy quét trang thành PNG, JPEG, TIFF hoặc PDF',
    };
  if (head.startsWith('Rar!') || head.startsWith('7z\xbc\xaf'))
    return { en: 'a compressed archive; extract it first', vi: 'tệp nén; hãy giải nén trước' };
  const sample = bytes.subarray(0, 4096);
  let zeros = 0;
  for (const b of sample) if (b === 0) zeros++;
  if (sample.length > 0 && zeros / sample.length > 0.1)
    return { en: 'binary data of an unknown format', vi: 'dữ liệu nhị phân không rõ định dạng' };
  return null;
}

/** Chooses the loader for a file by its content; the extension only breaks ties (e.g. a corrupt ".pdf"). */
export function chooseLoader(file: SourceFile, loaders: Loader[] = createLoaderRegistry()): Loader {
  const byId = new Map(loaders.map((l) => [l.id, l] as const));
  for (const id of [
    'pdf',
    'docx',
    'doc',
    'rtf',
    'image',
    'html',
    'procedures-jsonl',
    'beir-jsonl',
  ] as const) {
    const l = byId.get(id);
    if (l !== undefined && l.sniff(file)) return l;
  }
  const ext = extname(file.path).toLowerCase();
  const tie = EXTENSION_LOADER[ext];
  // A ".pdf" or ".docx" that is not one is reported by that format's loader ("not a valid PDF").
  if (tie !== undefined && tie !== 'text' && tie !== 'image') return byId.get(tie) ?? textLoader;
  const binary = unreadableBinary(file.bytes);
  if (binary !== null)
    throw new AppError('unsupported_format', `${file.path}: the file is ${binary.en}`, {
      source: file.path,
      reason: `${file.path}: tệp là ${binary.vi}.`,
    });
  if (ext === '.jsonl' || ext === '.ndjson') {
    if (firstJsonObjectOfBytes(file.bytes) === null) return byId.get('procedures-jsonl') ?? textLoader; // reports json_malformed
    throw new AppError(
      'unsupported_format',
      `${file.path}: the JSON Lines records are neither procedure records (ma_thu_tuc, ten_thu_tuc) nor corpus entries (_id, text)`,
      {
        source: file.path,
        reason: `${file.path}: các dòng JSON không phải bản ghi thủ tục (ma_thu_tuc, ten_thu_tuc) cũng không phải kho văn bản (_id, text).`,
      },
    );
  }
  if (tie === 'image')
    throw new AppError(
      'unsupported_format',
      `${file.path}: the file is named as an image but is not a PNG, JPEG or TIFF`,
      {
        source: file.path,
        reason: `${file.path}: tên tệp là ảnh nhưng nội dung không phải PNG, JPEG hay TIFF.`,
      },
    );
  return byId.get('text') ?? textLoader;
}

/**
 * Loads one file into documents, read by its content (a lying extension gets a warning), then checks
 * that a legal text is a document at all (not an error page, not nearly empty). Throws `AppError`
 * (empty_file, pdf_*, docx_unreadable, ocr_failed, not_a_document, json_malformed, …).
 */
export async function loadFile(
  source: SourceFile,
  options: IngestOptions = {},
  context: LoadContext = {},
): Promise<IngestedDocument[]> {
  if (source.bytes.length === 0) {
    throw new AppError('empty_file', `${source.path}: the file is empty (0 bytes)`, {
      source: source.path,
      reason: `${source.path}: tệp rỗng (0 byte).`,
    });
  }
  const loader = chooseLoader(source);
  const docs = await loader.load(source, options, context);
  if (loader.id === 'procedures-jsonl' || loader.id === 'beir-jsonl') return docs;
  const ext = extname(source.path).toLowerCase();
  const byName = EXTENSION_LOADER[ext];
  const lying =
    byName !== undefined && byName !== loader.id
      ? `${source.path}: tên tệp có đuôi “${ext}” nhưng nội dung là ${FORMAT_NAMES[loader.id]}; đã đọc theo nội dung.`
      : undefined;
  return docs.map((d) => {
    const checked = checkContent(source.path, loader.id, d);
    return lying === undefined ? checked : { ...checked, warnings: [lying, ...(checked.warnings ?? [])] };
  });
}

/** A file of a folder that is not read, with the reason in Vietnamese. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** True when a file's first bytes are a format a loader reads whatever its name (PDF, Word, image). */
async function readableByContent(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(1024), 0, 1024, 0);
    const head = new Uint8Array(buffer.subarray(0, bytesRead));
    return [pdfLoader, docxLoader, docLoader, rtfLoader, imageLoader].some((l) =>
      l.sniff({ path, bytes: head }),
    );
  } finally {
    await handle.close();
  }
}

async function walk(path: string, out: string[], skipped: SkippedFile[], top: boolean): Promise<void> {
  const name = path.split(/[\\/]/).pop() ?? path;
  const info = await stat(path);
  if (info.isDirectory()) {
    if (!top && name.startsWith('.')) {
      skipped.push({ path, reason: 'thư mục ẩn (tên bắt đầu bằng dấu chấm), không đọc' });
      return;
    }
    const entries = await readdir(path);
    for (const e of entries) await walk(join(path, e), out, skipped, false);
    return;
  }
  if (!top) {
    const ext = extname(name).toLowerCase();
    if (name.startsWith('.'))
      return void skipped.push({ path, reason: 'tệp ẩn (tên bắt đầu bằng dấu chấm), không đọc' });
    if (/^readme\.md$/iu.test(name))
      return void skipped.push({ path, reason: 'tệp mô tả thư mục (README.md), không phải văn bản' });
    if (!info.isFile()) return void skipped.push({ path, reason: 'không phải tệp thông thường' });
    if (!LOADABLE_EXTENSIONS.has(ext) && !(await readableByContent(path))) {
      return void skipped.push({
        path,
        reason: `định dạng ${ext === '' ? 'không có đuôi' : `“${ext}”`} không được hỗ trợ (nhận PDF, Word .docx/.doc, RTF, ảnh PNG/JPEG/TIFF, HTML, TXT/Markdown, JSON Lines)`,
      });
    }
  }
  out.push(path);
}

/** Files under the given paths, and every file of the folders that is not read with the reason (dotfiles, README.md, unknown formats). */
export async function scanSourceFiles(paths: string[]): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const out: string[] = [];
  const skipped: SkippedFile[] = [];
  for (const p of paths) await walk(p, out, skipped, true);
  return {
    files: [...new Set(out)].sort(),
    skipped: skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

/** Files under the given paths (files kept as given; folders walked recursively, skipping dotfiles, README.md and unknown formats), sorted. */
export async function listSourceFiles(paths: string[]): Promise<string[]> {
  return (await scanSourceFiles(paths)).files;
}

/** Ingests files and folders one file at a time; a failing file is reported, never half-indexed. */
export async function ingestPaths(
  paths: string[],
  options: IngestOptions = {},
  onProgress?: (doneFiles: number, totalFiles: number, path: string) => void,
): Promise<FileResult[]> {
  const files = await listSourceFiles(paths);
  const results: FileResult[] = [];
  for (const path of files) {
    const bytes = new Uint8Array(await readFile(path));
    const fileHash = sha256Hex(bytes);
    try {
      const documents = await loadFile({ path, bytes }, options);
      results.push({
        path,
        fileHash,
        ok: true,
        documents,
        warnings: documents.flatMap((d) => d.warnings ?? []),
      });
    } catch (err) {
      const error =
        err instanceof AppError
          ? err
          : new AppError(
              'internal',
              `${path}: ingest failed unexpectedly (${err instanceof Error ? err.message : String(err)})`,
              { cause: err, source: path },
            );
      results.push({ path, fileHash, ok: false, error });
    }
    onProgress?.(results.length, files.length, path);
  }
  return results;
}
