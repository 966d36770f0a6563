/**
 * Runs one re-index off the main thread, so that the server keeps answering while a new snapshot
 * is parsed, embedded and published. Receives a JobInput, posts progress messages and the report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SnapshotStore } from '../index/snapshot-store.js';
import { describeError } from '../errors.js';
import { reindex } from './reindex.js';
import type { JobInput, WorkerMessage } from './jobs.js';

const input = workerData as JobInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const store = new SnapshotStore(input.dataDir, input.keep);
reindex(store, input.setting, input.request, {
  files: (done, total, file) => post({ type: 'progress', phase: 'reading', done, total, file }),
  build: (phase, done, total) => post({ type: 'progress', phase, done, total }),
})
  .then((report) => post({ type: 'done', report }))
  .catch((err: unknown) => post({ type: 'error', message: describeError(err), code: (err as { code?: string }).code ?? 'internal' }));
