import { once } from 'node:events';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IngestedDocument } from '../../src/ingest/types.js';
import type { LexicalInput } from '../../src/index/lexical/bm25.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { startWordIndexes } from '../../src/index/word-indexes.js';
import { manyDocs } from './fixtures/many-docs.js';

const hashed = { kind: 'hashed', dimension: 64 } as const;
const serialFrom = IndexSnapshot.wordIndexWorkerFrom;

afterEach(() => {
  IndexSnapshot.wordIndexWorkerFrom = serialFrom;
});

function inputsOf(docs: IngestedDocument[]): LexicalInput[] {
  return docs.flatMap((d) => d.chunks).map((c) => ({ heading: c.heading, body: c.text }));
}

/** Builds a snapshot of `docs` with the word indexes built in a worker or here, and saves it. */
async function savedBuild(docs: IngestedDocument[], inWorker: boolean): Promise<string> {
  IndexSnapshot.wordIndexWorkerFrom = inWorker ? 0 : Infinity;
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path: 'x', fileHash: 'h', documentIds: docs.map((d) => d.meta.id) }],
      documents: docs,
      parent: null,
    },
    hashed,
  );
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'lexical-')), 'snap');
  await snapshot.writeTo(dir);
  return dir;
}

/** Every file of a saved snapshot but its manifest (which has the build's id and time), by name. */
async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name !== 'manifest.json')
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(path.join(dir, n))] as const)));
}

describe('word indexes built in a worker thread', () => {
  it('saves a snapshot byte for byte the same as a build on one thread', async () => {
    const docs = manyDocs();
    const serial = await filesOf(await savedBuild(docs, false));
    const parallel = await filesOf(await savedBuild(docs, true));
    expect([...parallel.keys()]).toEqual([...serial.keys()]);
    expect([...serial.keys()]).toEqual(
      expect.arrayContaining(['lexical.json', 'lexical.bin', 'restorer.json']),
    );
    for (const [name, bytes] of serial) expect(parallel.get(name)!.equals(bytes), name).toBe(true);
  });

  it('runs in a worker above the threshold, reporting progress to the end, and here below it', async () => {
    const docs = manyDocs();
    const inputs = inputsOf(docs);
    const titles = docs.map((d) => d.meta.title);
    const progress: string[] = [];
    const threaded = await startWordIndexes(inputs, titles, inputs.length, (phase, done, total) =>
      progress.push(`${phase} ${done}/${total}`),
    ).result;
    expect(threaded.inWorker).toBe(true);
    const n = inputs.length;
    expect(progress).toEqual([`lexical 1000/${n}`, `lexical 2000/${n}`, `lexical ${n}/${n}`, 'restorer 1/1']);
    expect(threaded.lexical.size).toBe(n);
    const here = await startWordIndexes(inputs, titles, n + 1).result;
    expect(here.inWorker).toBe(false);
    expect(here.lexical.vocabularySize).toBe(threaded.lexical.vocabularySize);
    expect(here.restorer.restore('dang ky ket hon')).toBe(threaded.restorer.restore('dang ky ket hon'));
  });

  it('builds here, with a warning, when the worker cannot start', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      // A function cannot be copied into a worker, so starting it throws.
      const inputs = [...inputsOf(manyDocs()), { heading: 'x', body: 'y', extra: () => 0 } as LexicalInput];
      const built = await startWordIndexes(inputs, ['x'], 0).result;
      expect(built.inWorker).toBe(false);
      expect(built.lexical.size).toBe(inputs.length);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('word indexes built on the main thread'));
    } finally {
      warn.mockRestore();
    }
  });

  it('stops the worker when the build it belongs to is cancelled', async () => {
    const build = startWordIndexes(inputsOf(manyDocs()), [], 0);
    build.cancel();
    await expect(build.result).rejects.toThrow(/exited/);
  });

  it('works from inside another worker thread, as in a re-index', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'lexical-')), 'snap');
    const worker = new Worker(new URL('./fixtures/nested-build-worker.ts', import.meta.url), {
      workerData: { dir },
      execArgv: ['--import', 'tsx'],
    });
    const [message] = (await once(worker, 'message')) as [{ inWorker: boolean }];
    expect(message.inWorker).toBe(true);
    // Nothing the nested worker started keeps the re-index worker alive.
    expect(await once(worker, 'exit')).toEqual([0]);
    const serial = await filesOf(await savedBuild(manyDocs(), false));
    const nested = await filesOf(dir);
    for (const name of ['lexical.json', 'lexical.bin', 'restorer.json'])
      expect(nested.get(name)!.equals(serial.get(name)!), name).toBe(true);
  });
});
