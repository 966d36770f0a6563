/**
 * Runs re-indexes off the main thread, so that the server keeps answering while a new snapshot is
 * parsed, embedded and published. The worker lives as long as the server (its modules are loaded
 * once); each `JobInput` message gets progress messages and then the report or the error.
 */
import { parentPort } from 'node:worker_threads';
import { LexicalIndex } from '../index/lexical/bm25.js';
import { SnapshotStore } from '../index/snapshot-store.js';
import { describeError } from '../errors.js';
import { reindex } from './reindex.js';
import type { JobInput, WorkerMessage } from './jobs.js';

// The indexes built here are saved, not served: decoding their common postings would be wasted.
LexicalIndex.decodedBudget = 0;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
parentPort!.on('message', (input: JobInput) => {
  const store = new SnapshotStore(input.dataDir, input.keep);
  reindex(store, input.setting, input.request, {
    files: (done, total, file) => post({ type: 'progress', phase: 'reading', done, total, file }),
    build: (phase, done, total) => post({ type: 'progress', phase, done, total }),
    ocr: (done, total, file) => post({ type: 'progress', phase: 'ocr', done, total, file }),
  })
    .then((report) => post({ type: 'done', report }))
    .catch((err: unknown) =>
      post({
        type: 'error',
        message: describeError(err),
        code: (err as { code?: string }).code ?? 'internal',
      }),
    );
});
post({ type: 'ready' });
