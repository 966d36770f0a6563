import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { AppError, describeError, userMessage } from '../errors.js';
import type { EmbedderSetting } from '../index/embeddings/index.js';
import type { BuildProgress, SourceEntry } from '../index/manifest.js';
import { exists, IndexSnapshot } from '../index/snapshot.js';
import type { SnapshotStore } from '../index/snapshot-store.js';
import { loadFile, scanSourceFiles, type SkippedFile } from '../ingest/registry.js';
import type { OcrSettings } from '../ingest/ocr/tesseract.js';
import { applyPatches, recordedPath, type BuildPatches } from './library.js';
import type { IngestOptions, IngestedDocument } from '../ingest/types.js';

/** What to (re)index. */
export interface ReindexRequest {
  /** Files or folders to add or refresh. */
  paths: string[];
  /** Rebuild every index even when no file changed (e.g. after changing the embedder). */
  rebuild?: boolean;
  /** Drop sources of the current snapshot that are not among `paths`. */
  replaceAll?: boolean;
  /** Drop sources of the current snapshot whose files no longer exist (deleted uploads, removed corpus files). */
  dropMissing?: boolean;
  options?: IngestOptions;
  /** The administrator's metadata edits and deletions (see DocumentLibrary). */
  patches?: BuildPatches;
  /** OCR of scanned pages and images (defaults when absent). */
  ocr?: OcrSettings;
}

/** A file that could not be ingested: the code, the English message for logs, the reason in Vietnamese. */
export interface FailedFile {
  path: string;
  code: string;
  message: string;
  reason: string;
}

/** Something the administrator should check about a file that went in (in Vietnamese). */
export interface FileWarning {
  path: string;
  message: string;
}

/** Outcome of one re-index, per file. */
export interface ReindexReport {
  /** The snapshot published, or null when nothing changed (or everything failed). */
  snapshotId: string | null;
  added: string[];
  updated: string[];
  unchanged: string[];
  failed: FailedFile[];
  /** Files of the given folders that were not read, each with the reason. */
  skipped: SkippedFile[];
  warnings: FileWarning[];
  documents: number;
  chunks: number;
  buildMs: number;
  /** True when the snapshot in service was extended (only additions or metadata edits) rather than rebuilt. */
  extended: boolean;
}

/** Progress of reading files: files done, total, current path. */
export type FileProgress = (done: number, total: number, file: string) => void;

/** Whether a document id is already held by another file; the first holder keeps it, the later file is reported. */
function findClash(
  docs: IngestedDocument[],
  path: string,
  owners: Map<string, string>,
): { id: string; owner: string; title: string } | null {
  for (const d of docs) {
    const owner = owners.get(d.meta.id);
    if (owner !== undefined && owner !== path) return { id: d.meta.id, owner, title: d.meta.title };
  }
  return null;
}

/**
 * Ingests the given files into a new snapshot on top of the current one. Unchanged files (same
 * sha256 as in the current manifest) are not parsed again; when nothing changed no snapshot is
 * built. A file that fails is reported and contributes nothing; the others still go in.
 */
export async function reindex(
  store: SnapshotStore,
  setting: EmbedderSetting,
  request: ReindexRequest,
  progress: { files?: FileProgress; build?: BuildProgress; ocr?: FileProgress } = {},
): Promise<ReindexReport> {
  const started = Date.now();
  const previous = await store.currentManifest();
  const priorDocs = previous ? await IndexSnapshot.readDocuments(store.dirOf(previous.id)) : new Map();
  const priorSources = new Map((previous?.sources ?? []).map((s) => [s.path, s]));
  const report: ReindexReport = {
    snapshotId: null,
    added: [],
    updated: [],
    unchanged: [],
    failed: [],
    skipped: [],
    warnings: [],
    documents: 0,
    chunks: 0,
    buildMs: 0,
    extended: false,
  };
  const { files, skipped } = await scanSourceFiles(request.paths);
  report.skipped = skipped.map((f) => ({ ...f, path: recordedPath(f.path) }));
  const fresh: { entry: SourceEntry; docs: IngestedDocument[]; changed: boolean }[] = [];
  for (const [i, file] of files.entries()) {
    progress.files?.(i, files.length, file);
    const rel = recordedPath(file);
    try {
      const bytes = await readFile(file);
      const fileHash = createHash('sha256').update(bytes).digest('hex');
      const prior = priorSources.get(rel);
      if (prior && prior.fileHash === fileHash && !request.options) {
        report.unchanged.push(rel);
        fresh.push({
          entry: prior,
          docs: prior.documentIds.flatMap((id) => priorDocs.get(id) ?? []),
          changed: false,
        });
        continue;
      }
      const docs = await loadFile({ path: rel, bytes }, request.options ?? {}, {
        ...(request.ocr ? { ocr: request.ocr } : {}),
        onOcrProgress: (done, total) => progress.ocr?.(done, total, rel),
      });
      fresh.push({
        entry: { path: rel, fileHash, documentIds: docs.map((d) => d.meta.id) },
        docs,
        changed: true,
      });
    } catch (err) {
      const code = err instanceof AppError ? err.code : 'internal';
      const reason = err instanceof AppError ? userMessage(err) : `${rel}: lỗi không mong đợi khi đọc tệp.`;
      report.failed.push({
        path: rel,
        code,
        message: describeError(err),
        reason: reason.startsWith(rel) ? reason : `${rel}: ${reason}`,
      });
    }
  }
  progress.files?.(files.length, files.length, '');
  // Two files never share a document id: the holder (a file already indexed, else the first in order) keeps it.
  const owners = new Map<string, string>();
  const inRequest = new Set(fresh.map((f) => f.entry.path));
  if (!request.replaceAll)
    for (const s of priorSources.values())
      if (!inRequest.has(s.path)) for (const id of s.documentIds) owners.set(id, s.path);
  for (const f of fresh) if (!f.changed) for (const id of f.entry.documentIds) owners.set(id, f.entry.path);
  for (const f of [...fresh]) {
    if (!f.changed) continue;
    const rel = f.entry.path;
    const clash = findClash(f.docs, rel, owners);
    if (clash !== null) {
      fresh.splice(fresh.indexOf(f), 1);
      report.failed.push({
        path: rel,
        code: 'duplicate_document',
        message: `duplicate_document: ${rel}: document ${clash.id} is already indexed from ${clash.owner}`,
        reason: `${rel}: trùng với văn bản «${clash.title}» đã có trong kho từ tệp ${clash.owner}; tệp này không được thêm. Nếu là hai văn bản khác nhau, hãy kiểm tra số hiệu và cơ quan ban hành; nếu là cùng văn bản, hãy giữ một tệp.`,
      });
      continue;
    }
    for (const id of f.entry.documentIds) owners.set(id, rel);
    (priorSources.has(rel) ? report.updated : report.added).push(rel);
    for (const d of f.docs) for (const w of d.warnings ?? []) report.warnings.push({ path: rel, message: w });
  }
  const changed = report.added.length + report.updated.length > 0;
  const gone = new Set<string>();
  if (request.dropMissing && previous) {
    for (const s of previous.sources)
      if (!fresh.some((f) => f.entry.path === s.path) && !(await exists(s.path))) gone.add(s.path);
  }
  const dropped =
    gone.size > 0 ||
    (request.replaceAll && previous
      ? previous.sources.some((s) => !fresh.some((f) => f.entry.path === s.path))
      : false);
  const patchesChanged =
    (request.patches?.hash ?? undefined) !== (previous?.patchesHash ?? undefined) &&
    request.patches !== undefined;
  if (!changed && !dropped && !patchesChanged && !request.rebuild && previous) {
    report.documents = previous.counts.documents;
    report.chunks = previous.counts.chunks;
    return report;
  }
  if (fresh.length === 0 && !previous) return report;
  const kept = request.replaceAll
    ? []
    : [...priorSources.values()]
        .filter((s) => !fresh.some((f) => f.entry.path === s.path) && !gone.has(s.path))
        .map((entry) => ({ entry, docs: entry.documentIds.flatMap((id) => priorDocs.get(id) ?? []) }));
  const { sources, documents } = mergeSources([...kept, ...fresh], request.patches);
  const input = {
    sources,
    documents: inPreviousOrder(documents, [...priorDocs.keys()]),
    parent: previous?.id ?? null,
    ...(request.patches ? { patchesHash: request.patches.hash } : {}),
  };
  // Only additions (or metadata edits): extend the snapshot in service instead of rebuilding it.
  const priorChunks = [...priorDocs.values()].flatMap((d: IngestedDocument) => d.chunks);
  const extended =
    previous && !request.rebuild
      ? await IndexSnapshot.extend(
          store.dirOf(previous.id),
          previous,
          input,
          setting,
          progress.build,
          priorChunks,
        )
      : null;
  const snapshot = extended ?? (await IndexSnapshot.build(input, setting, progress.build));
  report.extended = extended !== null;
  progress.build?.('publishing', 0, 1);
  report.snapshotId = await store.publish(snapshot);
  progress.build?.('publishing', 1, 1);
  report.documents = snapshot.documents.length;
  report.chunks = snapshot.chunks.length;
  report.buildMs = Date.now() - started;
  return report;
}

/**
 * Documents of the previous snapshot first, in its order, then the new ones: so that a re-index
 * that only adds documents keeps the existing passages as a prefix and can extend the snapshot.
 */
function inPreviousOrder(documents: IngestedDocument[], previousIds: string[]): IngestedDocument[] {
  if (previousIds.length === 0) return documents;
  const rank = new Map(previousIds.map((id, i) => [id, i]));
  return documents
    .map((d, i) => ({ d, i, r: rank.get(d.meta.id) ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.d);
}

/** Joins sources in order (a document id seen again is taken from the later source), then applies the edits. */
function mergeSources(parts: { entry: SourceEntry; docs: IngestedDocument[] }[], patches?: BuildPatches) {
  const byId = new Map<string, { doc: IngestedDocument; source: string }>();
  for (const { entry, docs } of parts)
    for (const doc of docs) byId.set(doc.meta.id, { doc, source: entry.path });
  const sources = parts.map(({ entry }) => ({
    ...entry,
    documentIds: entry.documentIds.filter((id) => byId.get(id)?.source === entry.path),
  }));
  const documents = patches
    ? applyPatches([...byId.values()], patches)
    : [...byId.values()].map((v) => v.doc);
  return { sources, documents };
}
