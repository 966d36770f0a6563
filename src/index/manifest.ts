import type { EmbedderInfo } from './embeddings/index.js';

/**
 * Version of the on-disk snapshot layout; loading refuses any other. 2: documents and passages
 * as JSON Lines, packed lexical postings, 8-bit LSA basis.
 */
export const SNAPSHOT_FORMAT = 2;
/** Formats whose sources and document lists can still be read, so a rebuild can start from them. */
export const READABLE_FORMATS: readonly number[] = [1, 2];

/** A source file that went into a snapshot, and the documents it produced. */
export interface SourceEntry {
  path: string;
  /** sha256 hex of the file's bytes. */
  fileHash: string;
  documentIds: string[];
}

/** `manifest.json` of a snapshot folder. */
export interface SnapshotManifest {
  format: number;
  id: string;
  /** ISO time the build finished. */
  createdAt: string;
  /** Build duration, milliseconds. */
  buildMs: number;
  /** The snapshot this one was built from, if any. */
  parent: string | null;
  /** Embedder identity and dimension; null when the vector side is switched off. */
  embedder: EmbedderInfo | null;
  counts: { sources: number; documents: number; chunks: number; terms: number };
  sources: SourceEntry[];
  /** Document id → content hash. */
  documents: Record<string, string>;
  /** Hash of the administrator's metadata edits applied to this build, when any. */
  patchesHash?: string;
}

/** Build phases reported to progress bars and the admin API. */
export type BuildPhase = 'reading' | 'lexical' | 'restorer' | 'embedding' | 'publishing';

/** Progress callback: phase, units done, units total. */
export type BuildProgress = (phase: BuildPhase, done: number, total: number) => void;

/** Checks the shape of a parsed manifest; returns a reason when it is unusable. */
export function manifestProblem(m: unknown, formats: readonly number[] = [SNAPSHOT_FORMAT]): string | null {
  if (typeof m !== 'object' || m === null) return 'manifest is not an object';
  const r = m as Partial<SnapshotManifest>;
  if (typeof r.format !== 'number' || !formats.includes(r.format)) {
    return `snapshot format ${String(r.format)} is not ${SNAPSHOT_FORMAT}; rebuild the index with \`npm run ingest -- --rebuild\``;
  }
  if (typeof r.id !== 'string' || !Array.isArray(r.sources) || typeof r.documents !== 'object') {
    return 'manifest lacks id, sources or documents';
  }
  if (!r.counts || typeof r.counts.chunks !== 'number') return 'manifest lacks counts';
  return null;
}
