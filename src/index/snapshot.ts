import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import type { Chunk, DocumentMeta, IngestedDocument } from '../ingest/types.js';
import { isNotFound } from '../lib/files.js';
import {
  DiacriticRestorer,
  learnAcronyms,
  learnSpellings,
  searchedText,
  withAcronyms,
  type Lexicon,
} from '../text/index.js';
import { FOLDED } from './lexical/analyzer.js';
import {
  createEmbedder,
  loadEmbedder,
  LsaEmbeddings,
  type EmbedderSetting,
  type ProjectEmbeddings,
} from './embeddings/index.js';
import { StringPool } from './intern.js';
import { readJsonLines, writeJsonLines } from './json-lines.js';
import { LexicalIndex } from './lexical/bm25.js';
import {
  READABLE_FORMATS,
  SNAPSHOT_FORMAT,
  manifestProblem,
  type BuildProgress,
  type SnapshotManifest,
  type SourceEntry,
} from './manifest.js';
import { ChunkVectorStore } from './vector-store.js';
import { startWordIndexes, type WordIndexes } from './word-indexes.js';

/** Longest passage text handed to an embedder, in characters. */
const EMBED_CHARS = 2000;

/** What a build needs: the source files and the documents they produced. */
export interface BuildInput {
  sources: SourceEntry[];
  documents: IngestedDocument[];
  parent: string | null;
  /** Hash of the metadata edits applied (recorded in the manifest). */
  patchesHash?: string;
}

/**
 * The two fields of a passage in the lexical index: the words only searched go with the heading,
 * weighed as a title, since they are further names of what the passage is about; the body's
 * length, which varies from record to record, does not dilute them.
 */
export function lexicalFields(chunk: Pick<Chunk, 'heading' | 'text' | 'searchText'>): {
  heading: string;
  body: string;
} {
  return {
    heading: chunk.searchText ? `${chunk.heading}\n${chunk.searchText}` : chunk.heading,
    body: chunk.text,
  };
}

/** Text of a passage as the embedder sees it. */
export function embeddingText(chunk: Chunk): string {
  return `${chunk.heading}\n${searchedText(chunk)}`.slice(0, EMBED_CHARS);
}

/** A loaded, immutable index: documents, passages, lexical and vector indexes, and the query restorer. */
export class IndexSnapshot {
  /** Document position by id. */
  readonly docIndex: Map<string, number>;
  /** Document position of each passage. */
  readonly chunkDoc: Uint32Array;

  private constructor(
    readonly manifest: SnapshotManifest,
    readonly documents: DocumentMeta[],
    readonly chunks: Chunk[],
    readonly lexical: LexicalIndex,
    readonly restorer: DiacriticRestorer,
    readonly vector: ChunkVectorStore | null,
    readonly embedder: ProjectEmbeddings | null,
  ) {
    this.docIndex = new Map(documents.map((d, i) => [d.id, i]));
    this.chunkDoc = new Uint32Array(chunks.length);
    chunks.forEach((c, i) => {
      this.chunkDoc[i] = this.docIndex.get(c.docId) ?? 0;
    });
  }

  /** The document with this id, undefined when the snapshot has none. */
  document(id: string): DocumentMeta | undefined {
    const i = this.docIndex.get(id);
    return i === undefined ? undefined : this.documents[i];
  }

  private queryLexicon: Lexicon | null = null;

  /**
   * The query lexicon of this corpus: the curated one plus the acronyms its document names teach
   * ("htx" → hợp tác xã), learned on first use (a few hundred ms for thousands of names), and the
   * i/y spellings it prefers ("kí" → "ký", "qui" → "quy"; spelling.ts).
   */
  get lexicon(): Lexicon {
    if (!this.queryLexicon) {
      const lexicon = withAcronyms(learnAcronyms(this.documents.map((d) => d.title)));
      const { lexical } = this;
      const spellings = learnSpellings(
        (syllable) => lexical.documentFrequency(syllable),
        (syllable) => lexical.documentFrequency(FOLDED + syllable),
      );
      this.queryLexicon = spellings.size > 0 ? { ...lexicon, spellings } : lexicon;
    }
    return this.queryLexicon;
  }

  /**
   * Passages from which build() makes the word indexes (lexical, restorer) in a worker thread.
   * Starting one costs a fraction of a second (more under tsx, which compiles its modules again),
   * the two builds about 0.35 ms a passage; Infinity keeps every build on one thread.
   */
  static wordIndexWorkerFrom = 5000;

  /** Builds every index over the documents; nothing is written to disk. */
  static async build(
    input: BuildInput,
    setting: EmbedderSetting,
    onProgress?: BuildProgress,
  ): Promise<IndexSnapshot> {
    const started = Date.now();
    const documents = input.documents.map((d) => d.meta);
    const chunks = input.documents.flatMap((d) => d.chunks);
    // On a large corpus the lexical index and the restorer are built in a worker thread while
    // this one fits the embedder and the vector graph (on one thread, the first two were 10 s of
    // the 2,642 tthc procedures' 25 s); a smaller corpus's are built here, before
    // startWordIndexes returns.
    const words = startWordIndexes(
      chunks.map(lexicalFields),
      documents.map((d) => d.title),
      IndexSnapshot.wordIndexWorkerFrom,
      onProgress,
    );
    let embedder: ProjectEmbeddings | null = null;
    let vector: ChunkVectorStore | null = null;
    let built: WordIndexes;
    try {
      if (setting.kind !== 'none') {
        const texts = chunks.map(embeddingText);
        embedder = await createEmbedder(setting, () => texts);
        vector = await ChunkVectorStore.build(embedder, texts, undefined, (done, total) =>
          onProgress?.('embedding', done, total),
        );
        if (embedder instanceof LsaEmbeddings) embedder.releaseFittedRows();
      }
      built = await words.result;
    } catch (err) {
      words.cancel();
      throw err;
    }
    const { lexical, restorer } = built;
    const manifest = newManifest(input, started, documents, chunks.length, lexical, embedder);
    return new IndexSnapshot(manifest, documents, chunks, lexical, restorer, vector, embedder);
  }

  /**
   * Builds on the snapshot in `baseDir` when the new passages are the base's passages, unchanged
   * and in the same order, followed by new ones (documents were only added, or only their
   * metadata changed). The embedder (its LSA basis included), the diacritic restorer and the
   * vector graph are reused and only the new passages are embedded; their postings are appended
   * to the lexical index. Returns null when the shape does not allow it, so the
   * caller builds from scratch. The vector side is then slightly behind a full build (the basis
   * has not seen the new documents' words) until the next full rebuild.
   */
  static async extend(
    baseDir: string,
    base: SnapshotManifest,
    input: BuildInput,
    setting: EmbedderSetting,
    onProgress?: BuildProgress,
    /** The base's passages in order, when the caller has already read them. */
    knownBaseChunks?: readonly Chunk[],
  ): Promise<IndexSnapshot | null> {
    const started = Date.now();
    if (base.format !== SNAPSHOT_FORMAT) return null;
    if ((base.embedder === null) !== (setting.kind === 'none')) return null;
    const baseChunks = knownBaseChunks ?? (await readList<Chunk>(baseDir, 'chunks', new StringPool()));
    if (baseChunks.length !== base.counts.chunks) return null;
    const documents = input.documents.map((d) => d.meta);
    const chunks = input.documents.flatMap((d) => d.chunks);
    if (chunks.length < baseChunks.length) return null;
    for (let i = 0; i < baseChunks.length; i++) {
      if (chunks[i]!.id !== baseChunks[i]!.id || chunks[i]!.contentHash !== baseChunks[i]!.contentHash)
        return null;
    }
    const added = chunks.slice(baseChunks.length);
    // Only the new passages are analysed; their postings are appended to the base's.
    const baseLexical = await LexicalIndex.load(baseDir);
    const lexical =
      added.length === 0
        ? baseLexical
        : LexicalIndex.append(baseLexical, added.map(lexicalFields), (done, total) =>
            onProgress?.('lexical', done, total),
          );
    onProgress?.('lexical', chunks.length, chunks.length);
    const restorer = DiacriticRestorer.fromJSON(await readJson<unknown>(path.join(baseDir, 'restorer.json')));
    onProgress?.('restorer', 1, 1);
    let embedder: ProjectEmbeddings | null = null;
    let vector: ChunkVectorStore | null = null;
    if (base.embedder && setting.kind !== 'none') {
      const vectorDir = path.join(baseDir, 'vector');
      embedder = await loadEmbedder(setting, vectorDir, base.embedder);
      vector = await ChunkVectorStore.extend(
        vectorDir,
        embedder,
        baseChunks.length,
        added.map(embeddingText),
        undefined,
        (done, total) => onProgress?.('embedding', done, total),
      );
    }
    onProgress?.('embedding', added.length, added.length);
    const manifest = newManifest(input, started, documents, chunks.length, lexical, embedder);
    return new IndexSnapshot(manifest, documents, chunks, lexical, restorer, vector, embedder);
  }

  /**
   * Documents and passages of a snapshot folder by id, without loading its indexes. Reads the
   * lists of format 1 snapshots too, so a rebuild can start from one.
   */
  static async readDocuments(dir: string): Promise<Map<string, IngestedDocument>> {
    const strings = new StringPool();
    const documents = await readList<DocumentMeta>(dir, 'documents', strings);
    const chunks = await readList<Chunk>(dir, 'chunks', strings);
    const out = new Map<string, IngestedDocument>(documents.map((meta) => [meta.id, { meta, chunks: [] }]));
    for (const c of chunks) out.get(c.docId)?.chunks.push(c);
    return out;
  }

  /** Writes every file of the snapshot into `dir` (which must be new); the manifest is written last. */
  async writeTo(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeJsonLines(path.join(dir, 'documents.jsonl'), this.documents);
    await writeJsonLines(path.join(dir, 'chunks.jsonl'), this.chunks);
    await writeFile(path.join(dir, 'restorer.json'), JSON.stringify(this.restorer.toJSON()));
    await this.lexical.save(dir);
    if (this.vector && this.embedder) {
      const vectorDir = path.join(dir, 'vector');
      await this.vector.save(vectorDir);
      await this.embedder.saveState(vectorDir);
    }
    await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(this.manifest, null, 1));
  }

  /** Reads a snapshot folder, refusing a format or embedder that does not match the configuration. */
  static async readFrom(dir: string, setting: EmbedderSetting): Promise<IndexSnapshot> {
    const manifest = await readManifest(dir);
    const want = setting.kind === 'none' ? null : setting.kind;
    if (manifest.embedder === null && want !== null) {
      throw new AppError(
        'embedder_mismatch',
        `${dir}: the index was built without embeddings but the configuration selects "${want}"; rebuild it with \`npm run ingest -- --rebuild\``,
      );
    }
    // One file at a time: parsing them together would add their transient buffers to peak memory.
    // Documents first, so passages share their procedure's name with its title.
    const strings = new StringPool();
    const documents = await readList<DocumentMeta>(dir, 'documents', strings);
    const chunks = await readList<Chunk>(dir, 'chunks', strings);
    const restorerData = await readJson<unknown>(path.join(dir, 'restorer.json'));
    const lexical = await LexicalIndex.load(dir);
    if (documents.length !== manifest.counts.documents || chunks.length !== manifest.counts.chunks) {
      throw new AppError('snapshot_invalid', `${dir}: document or passage count differs from the manifest`);
    }
    let embedder: ProjectEmbeddings | null = null;
    let vector: ChunkVectorStore | null = null;
    if (manifest.embedder && setting.kind !== 'none') {
      const vectorDir = path.join(dir, 'vector');
      embedder = await loadEmbedder(setting, vectorDir, manifest.embedder);
      vector = await ChunkVectorStore.load(vectorDir, embedder);
    }
    const restorer = DiacriticRestorer.fromJSON(restorerData);
    return new IndexSnapshot(manifest, documents, chunks, lexical, restorer, vector, embedder);
  }
}

/**
 * Reads and checks `manifest.json` of a snapshot folder. With `anyFormat`, an older format is
 * accepted too: its sources and document lists can still be read (for a rebuild), not its indexes.
 */
export async function readManifest(dir: string, anyFormat = false): Promise<SnapshotManifest> {
  const manifest = await readJson<SnapshotManifest>(path.join(dir, 'manifest.json'));
  const problem = manifestProblem(manifest, anyFormat ? READABLE_FORMATS : [SNAPSHOT_FORMAT]);
  if (problem) throw new AppError('snapshot_invalid', `${dir}/manifest.json: ${problem}`);
  return manifest;
}

/** A list file of a snapshot: `<name>.jsonl`, or `<name>.json` in a format 1 snapshot. */
async function readList<T>(dir: string, name: string, strings: StringPool): Promise<T[]> {
  const lines = path.join(dir, `${name}.jsonl`);
  try {
    return await readJsonLines<T>(lines, strings);
  } catch (err) {
    if (isNotFound(err)) {
      const legacy = path.join(dir, `${name}.json`);
      if (await exists(legacy)) return strings.intern(await readJson<T[]>(legacy));
      throw new AppError('snapshot_invalid', `${lines}: missing from the snapshot`, { cause: err });
    }
    throw new AppError('snapshot_invalid', `${lines}: not valid JSON Lines (truncated write?)`, {
      cause: err,
    });
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function readJson<T>(file: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new AppError('snapshot_invalid', `${file}: missing from the snapshot`, { cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AppError('snapshot_invalid', `${file}: not valid JSON (truncated write?)`, { cause: err });
  }
}

/** The manifest of a snapshot built from `input` since `started`. */
function newManifest(
  input: BuildInput,
  started: number,
  documents: DocumentMeta[],
  chunks: number,
  lexical: LexicalIndex,
  embedder: ProjectEmbeddings | null,
): SnapshotManifest {
  return {
    format: SNAPSHOT_FORMAT,
    id: newSnapshotId(),
    createdAt: new Date().toISOString(),
    buildMs: Date.now() - started,
    parent: input.parent,
    ...(input.patchesHash ? { patchesHash: input.patchesHash } : {}),
    embedder: embedder ? embedder.info : null,
    counts: {
      sources: input.sources.length,
      documents: documents.length,
      chunks,
      terms: lexical.vocabularySize,
    },
    sources: input.sources,
    documents: Object.fromEntries(documents.map((d) => [d.id, d.contentHash])),
  };
}

/** Sortable, unique snapshot id: UTC time to the millisecond plus a random suffix. */
export function newSnapshotId(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${t}-${Math.random().toString(36).slice(2, 8)}`;
}
