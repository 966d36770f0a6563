import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AppError, describeError, userMessage } from '../errors.js';
import type { OcrSettings } from '../ingest/ocr/tesseract.js';
import { VALIDITY_STATUSES, type DocumentMeta, type IngestedDocument } from '../ingest/types.js';
import { loadFile } from '../ingest/registry.js';
import { isNotFound, writeFileDurably } from '../lib/files.js';

/** Metadata an administrator sets on an uploaded file or a document. */
export const metaPatchSchema = z
  .object({
    audience: z.enum(['public', 'internal']),
    status: z.enum(VALIDITY_STATUSES),
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date YYYY-MM-DD'),
    expiryDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date YYYY-MM-DD'),
    replaces: z.array(z.string().min(1).max(200)).max(50),
  })
  .partial()
  .strict();

export type MetaPatch = z.infer<typeof metaPatchSchema>;

/** What the library file holds: metadata of uploaded files (by stored name) and edits of documents (by id). */
interface LibraryState {
  uploads: Record<string, MetaPatch & { sha256: string; uploadedAt: string; originalName: string }>;
  documents: Record<string, MetaPatch & { deleted?: boolean }>;
}

/** Edits applied to every build: per source file and per document. */
export interface BuildPatches {
  bySource: Record<string, MetaPatch>;
  byDocument: Record<string, MetaPatch & { deleted?: boolean }>;
  /** Changes when any edit changes, so a re-index knows it must rebuild. */
  hash: string;
}

/** Result of one uploaded file. */
export interface UploadResult {
  name: string;
  status: 'stored' | 'replaced' | 'duplicate' | 'failed';
  /** Why it failed, or which stored file it duplicates. */
  reason?: string;
  code?: string;
  documents?: { id: string; title: string; kind: string; chunks: number }[];
}

const MAX_NAME = 180;

/** "50 MB", "300 kB". */
export function sizeLabel(bytes: number): string {
  return bytes >= 1048576 ? `${Math.round(bytes / 1048576)} MB` : `${Math.round(bytes / 1024)} kB`;
}

/**
 * Checks an uploaded file's name: a plain file name, no folders, no "..", no control characters.
 * Returns the reason it is refused, or null.
 */
export function badFileName(name: string): string | null {
  if (name.trim() === '') return 'tên tệp trống';
  if (name.length > MAX_NAME) return `tên tệp dài quá ${MAX_NAME} ký tự`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/u.test(name)) return 'tên tệp chứa ký tự điều khiển';
  if (/[/\\]/u.test(name) || name.includes('..')) return 'tên tệp không được chứa thư mục hoặc ".."';
  if (name.startsWith('.')) return 'tên tệp không được bắt đầu bằng dấu chấm';
  return null;
}

/**
 * The administrator's documents: uploaded files stored durably under `DATA_DIR/uploads`, their
 * metadata, and metadata edits / deletions of any document, kept in `DATA_DIR/library.json`. A
 * re-index reads the corpus folder plus the uploads folder and applies these edits.
 */
export class DocumentLibrary {
  readonly uploadsDir: string;
  private readonly stateFile: string;
  /** Serialises writes of the state file. */
  private writing: Promise<unknown> = Promise.resolve();

  /** OCR used to check a scanned upload (its recognised pages are cached for the re-index that follows). */
  private readonly ocr: OcrSettings | undefined;

  constructor(dataDir: string, ocr?: OcrSettings) {
    this.ocr = ocr;
    this.uploadsDir = path.join(dataDir, 'uploads');
    this.stateFile = path.join(dataDir, 'library.json');
  }

  async state(): Promise<LibraryState> {
    try {
      const parsed = JSON.parse(await readFile(this.stateFile, 'utf8')) as Partial<LibraryState>;
      return { uploads: parsed.uploads ?? {}, documents: parsed.documents ?? {} };
    } catch (err) {
      if (isNotFound(err)) return { uploads: {}, documents: {} };
      throw new AppError('internal', `cannot read ${this.stateFile}: ${describeError(err)}`);
    }
  }

  /** Edits to apply at build time; source paths as the re-index records them (relative to the working directory when inside it). */
  async patches(): Promise<BuildPatches> {
    const s = await this.state();
    const bySource: Record<string, MetaPatch> = {};
    for (const [name, meta] of Object.entries(s.uploads)) {
      const { sha256: _h, uploadedAt: _u, originalName: _o, ...patch } = meta;
      if (Object.keys(patch).length > 0) bySource[recordedPath(path.join(this.uploadsDir, name))] = patch;
    }
    const hash = createHash('sha256')
      .update(JSON.stringify([bySource, s.documents]))
      .digest('hex');
    return { bySource, byDocument: s.documents, hash };
  }

  /**
   * Validates and stores one uploaded file. The file is parsed first (a file that cannot be read
   * is refused with the loader's reason and not stored), then written aside, fsynced and renamed,
   * so it is on disk before the upload is acknowledged.
   */
  async add(name: string, bytes: Buffer, meta: MetaPatch, maxBytes: number): Promise<UploadResult> {
    const bad = badFileName(name);
    if (bad) return { name, status: 'failed', code: 'bad_name', reason: bad };
    if (bytes.length === 0) return { name, status: 'failed', code: 'empty', reason: 'tệp rỗng (0 byte)' };
    if (bytes.length > maxBytes)
      return {
        name,
        status: 'failed',
        code: 'too_large',
        reason: `tệp lớn hơn giới hạn ${sizeLabel(maxBytes)}`,
      };
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const state = await this.state();
    const same = Object.entries(state.uploads).find(([, m]) => m.sha256 === sha256);
    if (same)
      return {
        name,
        status: 'duplicate',
        code: 'duplicate',
        reason: `tệp giống hệt tệp đã tải lên "${same[0]}"`,
      };
    let docs: IngestedDocument[];
    try {
      docs = await loadFile({ path: name, bytes }, {}, this.ocr ? { ocr: this.ocr } : {});
    } catch (err) {
      return {
        name,
        status: 'failed',
        code: err instanceof AppError ? err.code : 'unreadable',
        reason: err instanceof AppError ? userMessage(err) : describeError(err),
      };
    }
    if (docs.length === 0)
      return {
        name,
        status: 'failed',
        code: 'empty',
        reason: 'không tìm thấy văn bản hoặc thủ tục nào trong tệp',
      };
    await mkdir(this.uploadsDir, { recursive: true });
    const existed = name in state.uploads;
    await writeFileDurably(path.join(this.uploadsDir, name), bytes);
    await this.update((s) => {
      s.uploads[name] = { ...meta, sha256, uploadedAt: new Date().toISOString(), originalName: name };
    });
    return {
      name,
      status: existed ? 'replaced' : 'stored',
      documents: docs.map((d) => ({
        id: d.meta.id,
        title: d.meta.title,
        kind: d.meta.kind,
        chunks: d.chunks.length,
      })),
    };
  }

  /** Sets metadata of a document (applied at the next re-index). */
  async edit(docId: string, patch: MetaPatch): Promise<void> {
    await this.update((s) => {
      s.documents[docId] = { ...s.documents[docId], ...patch };
    });
  }

  /**
   * Removes a document: an uploaded file that holds only this document is deleted; otherwise the
   * document is marked deleted and left out of every build. Returns what was done.
   */
  async remove(
    docId: string,
    sourcePath: string | undefined,
    documentsInSource: number,
  ): Promise<'file_deleted' | 'marked_deleted'> {
    const name = sourcePath ? this.uploadName(sourcePath) : null;
    if (name && documentsInSource <= 1) {
      await rm(path.join(this.uploadsDir, name), { force: true });
      await this.update((s) => {
        delete s.uploads[name];
        delete s.documents[docId];
      });
      return 'file_deleted';
    }
    await this.update((s) => {
      s.documents[docId] = { ...s.documents[docId], deleted: true };
    });
    return 'marked_deleted';
  }

  /** The stored name when `sourcePath` (as recorded in a manifest) is an uploaded file. */
  uploadName(sourcePath: string): string | null {
    const abs = path.resolve(sourcePath);
    return path.dirname(abs) === path.resolve(this.uploadsDir) ? path.basename(abs) : null;
  }

  /** Files in the uploads folder (for the re-index), leaving out temporary files of interrupted uploads. */
  async files(): Promise<string[]> {
    try {
      return (await readdir(this.uploadsDir))
        .filter((n) => !n.startsWith('.'))
        .map((n) => path.join(this.uploadsDir, n));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  private update(change: (s: LibraryState) => void): Promise<void> {
    const next = this.writing.then(async () => {
      const s = await this.state();
      change(s);
      await mkdir(path.dirname(this.stateFile), { recursive: true });
      await writeFileDurably(this.stateFile, JSON.stringify(s, null, 2));
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Applies the administrator's edits to the documents of a build; deleted ones are left out. */
export function applyPatches(
  documents: { doc: IngestedDocument; source: string }[],
  patches: BuildPatches,
): IngestedDocument[] {
  const out: IngestedDocument[] = [];
  for (const { doc, source } of documents) {
    const byDoc = patches.byDocument[doc.meta.id];
    if (byDoc?.deleted) continue;
    const { deleted: _d, ...docPatch } = byDoc ?? {};
    const patch = { ...patches.bySource[source], ...docPatch };
    out.push(
      Object.keys(patch).length === 0 ? doc : { ...doc, meta: { ...doc.meta, ...patch } as DocumentMeta },
    );
  }
  // A document that replaces another puts the older one out of force (unless its status was set by hand).
  const replaced = new Set(out.flatMap((d) => d.meta.replaces ?? []).map((r) => r.toLowerCase()));
  if (replaced.size === 0) return out;
  return out.map((d) => {
    const hit =
      replaced.has(d.meta.id.toLowerCase()) ||
      (d.meta.number !== undefined && replaced.has(d.meta.number.toLowerCase()));
    if (!hit || patches.byDocument[d.meta.id]?.status) return d;
    return { ...d, meta: { ...d.meta, status: 'het_hieu_luc_toan_bo' } };
  });
}

/** Paths inside the working directory are recorded relative to it, others absolute (as the re-index does). */
export function recordedPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.resolve(file) : rel;
}
