/**
 * Builds the word indexes of a snapshot in a worker thread (started by word-indexes.ts), so that
 * the snapshot build can fit the embedder and the vector graph on its own thread meanwhile. Posts
 * progress, then the lexical index's typed arrays with their buffers transferred (not copied)
 * and the restorer's counts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DiacriticRestorer } from '../text/restorer.js';
import { LexicalIndex, lexicalTransferList, type LexicalInput } from './lexical/bm25.js';
import { restorerTexts, type WordIndexesMessage } from './word-indexes.js';

const { passages, titles } = workerData as { passages: LexicalInput[]; titles: string[] };
const post = (m: WordIndexesMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
const lexical = LexicalIndex.buildParts(passages, undefined, (done, total) =>
  post({ type: 'progress', done, total }),
);
const restorer = DiacriticRestorer.train(restorerTexts(passages, titles)).toJSON();
post({ type: 'done', lexical, restorer }, lexicalTransferList(lexical));
