import { Worker } from 'node:worker_threads';
import { DiacriticRestorer, type RestorerData } from '../text/restorer.js';
import { LexicalIndex, type LexicalInput, type LexicalParts } from './lexical/bm25.js';
import type { BuildProgress } from './manifest.js';

/**
 * The indexes of a snapshot counted from the words of its passages: the lexical (BM25F) index
 * and the diacritic restorer, with whether a worker thread built them.
 */
export interface WordIndexes {
  lexical: LexicalIndex;
  restorer: DiacriticRestorer;
  inWorker: boolean;
}

/** What the worker posts: lexical progress every 1,000 passages, then both indexes. */
export type WordIndexesMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; lexical: LexicalParts; restorer: RestorerData };

/** Word indexes being built, here or in a worker thread. */
export interface WordIndexesBuild {
  readonly result: Promise<WordIndexes>;
  /** Stops the worker (when the build they belong to has failed); `result` then rejects. */
  cancel(): void;
}

/** What the restorer learns from: the document titles, then the passages' bodies. */
export function* restorerTexts(
  passages: readonly LexicalInput[],
  titles: readonly string[],
): Generator<string> {
  yield* titles;
  for (const p of passages) yield p.body;
}

/**
 * Builds the word indexes of `passages` (and the documents' `titles`) in a worker thread when
 * there are at least `minPassages` passages, so the caller can fit the embedder and the vector
 * graph on this thread meanwhile; the indexes are the same either way. Below that, they are built
 * on this thread before this returns, as they are when the worker cannot start or fails (with a
 * warning). `onProgress` gets the lexical phase, then 'restorer' once both are ready here.
 */
export function startWordIndexes(
  passages: readonly LexicalInput[],
  titles: readonly string[],
  minPassages: number,
  onProgress?: BuildProgress,
): WordIndexesBuild {
  const total = passages.length;
  const lexicalProgress = (done: number, all: number) => onProgress?.('lexical', done, all);
  const ready = (lexical: LexicalIndex, restorer: DiacriticRestorer, inWorker: boolean): WordIndexes => {
    onProgress?.('restorer', 1, 1);
    return { lexical, restorer, inWorker };
  };
  const buildHere = (): WordIndexes => {
    const lexical = LexicalIndex.build(passages, undefined, lexicalProgress);
    onProgress?.('lexical', total, total);
    return ready(lexical, DiacriticRestorer.train(restorerTexts(passages, titles)), false);
  };
  const here = (): WordIndexesBuild => ({ result: Promise.resolve(buildHere()), cancel: () => {} });
  if (total < minPassages) return here();
  let worker: Worker;
  try {
    const url = new URL(
      import.meta.url.endsWith('.ts') ? './word-indexes-worker.ts' : './word-indexes-worker.js',
      import.meta.url,
    );
    // The passages are copied into the worker once, here; the lexical index comes back without a copy.
    worker = new Worker(url, {
      workerData: { passages, titles },
      execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
  } catch (err) {
    warn(err);
    return here();
  }
  let cancelled = false;
  const built = new Promise<{ lexical: LexicalParts; restorer: RestorerData }>((resolve, reject) => {
    worker.on('message', (m: WordIndexesMessage) => {
      if (m.type === 'progress') lexicalProgress(m.done, m.total);
      else resolve(m);
    });
    worker.on('error', reject);
    // After 'done' this settles nothing; before it, the worker ended without the indexes.
    worker.on('exit', (code) => reject(new Error(`the word index worker exited with code ${code}`)));
  });
  const result = built.then(
    (m) => {
      const lexical = LexicalIndex.fromParts(m.lexical);
      onProgress?.('lexical', total, total);
      return ready(lexical, DiacriticRestorer.fromJSON(m.restorer), true);
    },
    (err: unknown) => {
      if (cancelled) throw err;
      warn(err);
      return buildHere();
    },
  );
  // Nobody awaits the result of a cancelled build.
  result.catch(() => {});
  return {
    result,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}

function warn(err: unknown): void {
  process.emitWarning(
    `word indexes built on the main thread: their worker failed (${err instanceof Error ? err.message : String(err)})`,
  );
}
