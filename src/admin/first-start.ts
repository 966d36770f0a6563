import { AppError } from '../errors.js';
import type { EmbedderSetting } from '../index/embeddings/index.js';
import { SnapshotStore } from '../index/snapshot-store.js';
import type { Reranker } from '../retrieve/rerank.js';
import { DEFAULT_RETRIEVER, Retriever } from '../retrieve/retriever.js';
import { reindex } from './reindex.js';

/** The settings `openIndex` reads (a part of the app's Config). */
export interface IndexSettings {
  dataDir: string;
  corpusDir: string;
  snapshotsKeep: number;
  embedder: EmbedderSetting;
}

/** The data folder's write lock, or null while another process holds it. */
function tryLock(store: SnapshotStore): (() => void) | null {
  try {
    return store.lock('first start: building the index');
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict') return null;
    throw err;
  }
}

/**
 * Loads the active snapshot, building one from CORPUS_DIR first when there is none. Holds the
 * data folder's write lock meanwhile; when another process holds it, the folders it is writing
 * stay, and with no snapshot yet this waits for that process's.
 */
export async function openIndex(
  config: IndexSettings,
  log: (line: string) => void,
  store = new SnapshotStore(config.dataDir, config.snapshotsKeep),
  /** The re-ranking endpoint's client (RERANK_BASE_URL), if any. */
  reranker: Reranker | null = null,
): Promise<Retriever> {
  let release = tryLock(store);
  if (!release) {
    const other = store.lockHolder();
    log(
      `another process is writing the index (${other?.holder ?? 'unknown'}, process ${other?.pid ?? '?'}); its unfinished folders are left alone`,
    );
  }
  try {
    if (release) {
      const leftovers = await store.removeLeftovers();
      if (leftovers > 0) log(`removed ${leftovers} unfinished snapshot folder(s) from an interrupted build`);
    }
    // No index yet while another process builds one: wait for it rather than build a second.
    while (!release && (await store.currentId()) === null) {
      await new Promise((r) => setTimeout(r, 1000));
      release = tryLock(store);
    }
    if ((await store.currentId()) === null) {
      log(`no index in ${config.dataDir}; building one from ${config.corpusDir} …`);
      let lastPhase = '';
      const report = await reindex(
        store,
        config.embedder,
        { paths: [config.corpusDir] },
        {
          files: (done, total) => {
            if (done === total) log(`read ${total} file(s)`);
          },
          build: (phase) => {
            if (phase !== lastPhase) log(`building: ${(lastPhase = phase)}`);
          },
        },
      );
      for (const f of report.failed) log(`skipped ${f.path}: ${f.message}`);
      log(
        `index ready: ${report.documents} documents, ${report.chunks} passages in ${(report.buildMs / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    release?.();
  }
  const snapshot = await store.loadCurrent(config.embedder);
  if (!snapshot) throw new Error(`no documents could be indexed from ${config.corpusDir}`);
  return new Retriever(snapshot, DEFAULT_RETRIEVER, reranker);
}
