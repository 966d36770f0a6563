/**
 * npm run snapshots -- list
 * npm run snapshots -- activate <id>
 * Lists the published snapshots (newest first, the active one marked) or points CURRENT at an
 * earlier one (rollback). A running server picks the change up within a few seconds.
 */
import { loadConfig } from '../src/config.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { parseArgs } from './lib/args.js';
import { runCommand } from './lib/run.js';

async function main(): Promise<number> {
  const { positional } = parseArgs(process.argv.slice(2), []);
  const [command, id] = positional;
  const config = loadConfig();
  const store = new SnapshotStore(config.dataDir, config.snapshotsKeep);
  if (command === 'list' || command === undefined) {
    const list = await store.list();
    if (list.length === 0) console.log(`no snapshot in ${config.dataDir}`);
    for (const s of list) {
      console.log(
        `${s.active ? '*' : ' '} ${s.id}  ${s.createdAt}  ${s.counts.documents} documents, ${s.counts.chunks} passages  ${s.embedder ? `${s.embedder.id}/${s.embedder.dimension}` : 'lexical only'}`,
      );
    }
    return 0;
  }
  if (command === 'activate') {
    if (!id) throw new Error('usage: npm run snapshots -- activate <id> (see `npm run snapshots -- list`)');
    const release = store.lock(`npm run snapshots -- activate ${id}`);
    try {
      await store.activate(id);
    } finally {
      release();
    }
    console.log(`active snapshot: ${id}`);
    return 0;
  }
  throw new Error(`unknown command "${command}": use list or activate <id>`);
}

runCommand('snapshots', main);
