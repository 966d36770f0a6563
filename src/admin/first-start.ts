import type { EmbedderSetting } from '../index/embeddings/index.js';
import { SnapshotStore } from '../index/snapshot-store.js';
import { Retriever } from '../retrieve/retriever.js';
import { reindex } from './reindex.js';

/** The settings `openIndex` reads (a part of the app's Config). */
export interface IndexSettings {
  dataDir: string;
  corpusDir: string;
  snapshotsKeep: number;
  embedder: EmbedderSetting;
}

/** Loads the active snapshot, building one from CORPUS_DIR first when there is none. */
export async function openIndex(
  config: IndexSettings,
  log: (line: string) => void,
  store = new SnapshotStore(config.dataDir, config.snapshotsKeep),
): Promise<Retriever> {
  const leftovers = await store.removeLeftovers();
  if (leftovers > 0) log(`removed ${leftovers} unfinished snapshot folder(s) from an interrupted build`);
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
  const snapshot = await store.loadCurrent(config.embedder);
  if (!snapshot) throw new Error(`no documents could be indexed from ${config.corpusDir}`);
  return new Retriever(snapshot);
}
