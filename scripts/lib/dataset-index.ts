import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EmbedderSetting } from '../../src/index/embeddings/index.js';
import { IndexSnapshot } from '../../src/index/snapshot.js';
import { loadFile } from '../../src/ingest/registry.js';
import { buildProgressBar } from './progress.js';
import { root } from './server.js';

/** Where built dataset indexes are kept between runs (under the git-ignored data folder). */
const CACHE = path.join(root, 'data', 'eval-cache');

/** Hash of the code that decides what an index holds: a change to it invalidates cached indexes. */
async function indexCodeHash(): Promise<string> {
  const h = createHash('sha256');
  for (const dir of ['src/text', 'src/ingest', 'src/index']) {
    const files = (await readdir(path.join(root, dir), { recursive: true }))
      .filter((f) => /\.(ts|json|jsonl)$/u.test(f))
      .sort();
    for (const f of files) h.update(f).update(await readFile(path.join(root, dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * The index of a dataset's corpus file, built with the production ingest and index code, or read
 * back from the cache when the same file was indexed by the same code and embedder before.
 * `rebuild` forces a fresh build. Progress goes to stderr.
 */
export async function datasetSnapshot(
  corpusFile: string,
  setting: EmbedderSetting,
  rebuild = false,
): Promise<{ snapshot: IndexSnapshot; built: boolean }> {
  const info = await stat(corpusFile);
  const key = createHash('sha256')
    .update(
      `${path.resolve(corpusFile)}|${info.size}|${info.mtimeMs}|${JSON.stringify(setting)}|${await indexCodeHash()}`,
    )
    .digest('hex')
    .slice(0, 20);
  const dir = path.join(CACHE, key);
  if (!rebuild && existsSync(path.join(dir, 'manifest.json')))
    return { snapshot: await IndexSnapshot.readFrom(dir, setting), built: false };
  const bar = buildProgressBar();
  const documents = await loadFile({ path: corpusFile, bytes: await readFile(corpusFile) });
  const snapshot = await IndexSnapshot.build(
    {
      sources: [{ path: corpusFile, fileHash: '', documentIds: documents.map((d) => d.meta.id) }],
      documents,
      parent: null,
    },
    setting,
    bar.onBuild,
  );
  bar.stop();
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await snapshot.writeTo(tmp);
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  return { snapshot, built: true };
}
