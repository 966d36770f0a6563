import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { AppError } from '../errors.js';
import { beirJsonlLoader } from './beir/beir-loader.js';
import { sha256Hex } from './hash.js';
import { firstJsonObjectOfBytes } from './jsonl.js';
import { docxLoader } from './loaders/docx-loader.js';
import { htmlLoader } from './loaders/html-loader.js';
import { pdfLoader } from './loaders/pdf-loader.js';
import { textLoader } from './loaders/text-loader.js';
import { proceduresJsonlLoader } from './procedure/procedures-loader.js';
import type { IngestedDocument, IngestOptions, Loader, LoaderId, SourceFile } from './types.js';

/** Result of ingesting one file: its documents, or the reason it was rejected. */
export type FileResult =
  | { path: string; fileHash: string; ok: true; documents: IngestedDocument[]; warnings: string[] }
  | { path: string; fileHash: string; ok: false; error: AppError };

/** Extensions picked up when walking a folder. */
export const LOADABLE_EXTENSIONS = new Set([
  '.pdf',
  '.docx',
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
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
  '.md': 'text',
  '.markdown': 'text',
};
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

/** The loaders in sniffing order (content first; text is the fallback). */
export function createLoaderRegistry(): Loader[] {
  return [pdfLoader, docxLoader, htmlLoader, proceduresJsonlLoader, beirJsonlLoader, textLoader];
}

function hasBinaryMagic(bytes: Uint8Array): string | null {
  if (OLE_MAGIC.every((b, i) => bytes[i] === b))
    return 'an old binary Office file (.doc/.xls); save it as .docx';
  const head = Buffer.from(bytes.subarray(0, 16)).toString('latin1');
  if (head.startsWith('\x89PNG') || head.startsWith('\xff\xd8\xff') || head.startsWith('GIF8'))
    return 'an image; run OCR and upload the text or a text PDF';
  return null;
}

/** Chooses the loader for a file by its content; the extension only breaks ties (e.g. a corrupt ".pdf"). */
export function chooseLoader(file: SourceFile, loaders: Loader[] = createLoaderRegistry()): Loader {
  const byId = new Map(loaders.map((l) => [l.id, l] as const));
  for (const id of ['pdf', 'docx', 'html', 'procedures-jsonl', 'beir-jsonl'] as const) {
    const l = byId.get(id);
    if (l !== undefined && l.sniff(file)) return l;
  }
  const ext = extname(file.path).toLowerCase();
  const binary = hasBinaryMagic(file.bytes);
  if (binary !== null)
    throw new AppError('unsupported_format', `${file.path}: the file is ${binary}`, { source: file.path });
  if (ext === '.jsonl' || ext === '.ndjson') {
    if (firstJsonObjectOfBytes(file.bytes) === null) return byId.get('procedures-jsonl') ?? textLoader; // reports json_malformed
    throw new AppError(
      'unsupported_format',
      `${file.path}: the JSON Lines records are neither procedure records (ma_thu_tuc, ten_thu_tuc) nor corpus entries (_id, text)`,
      { source: file.path },
    );
  }
  const tie = EXTENSION_LOADER[ext];
  if (tie !== undefined && tie !== 'text') return byId.get(tie) ?? textLoader;
  return byId.get('text') ?? textLoader;
}

/** Loads one file into documents. Throws `AppError` (empty_file, pdf_*, docx_unreadable, json_malformed, …). */
export async function loadFile(source: SourceFile, options: IngestOptions = {}): Promise<IngestedDocument[]> {
  if (source.bytes.length === 0) {
    throw new AppError('empty_file', `${source.path}: the file is empty (0 bytes)`, { source: source.path });
  }
  return chooseLoader(source).load(source, options);
}

async function walk(path: string, out: string[], top: boolean): Promise<void> {
  const name = path.split(/[\\/]/).pop() ?? path;
  if (!top && name.startsWith('.')) return;
  const info = await stat(path);
  if (info.isDirectory()) {
    const entries = await readdir(path);
    for (const e of entries) await walk(join(path, e), out, false);
    return;
  }
  if (!top && (/^readme\.md$/iu.test(name) || !LOADABLE_EXTENSIONS.has(extname(name).toLowerCase()))) return;
  out.push(path);
}

/** Files under the given paths (files kept as given; folders walked recursively, skipping dotfiles, README.md and non-loadable files), sorted. */
export async function listSourceFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) await walk(p, out, true);
  return [...new Set(out)].sort();
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
