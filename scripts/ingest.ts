/**
 * npm run ingest -- <files or folders…> [--rebuild] [--replace] [--audience public|internal] [--status <status>]
 * Adds or refreshes files in the index and publishes a new snapshot; unchanged files are skipped.
 */
import { loadConfig } from '../src/config.js';
import { reindex } from '../src/admin/reindex.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import {
  VALIDITY_STATUSES,
  type Audience,
  type IngestOptions,
  type ValidityStatus,
} from '../src/ingest/types.js';
import { parseArgs } from './lib/args.js';
import { buildProgressBar } from './lib/progress.js';
import { printReindexReport } from './lib/report.js';
import { runCommand } from './lib/run.js';

const STATUSES: readonly ValidityStatus[] = VALIDITY_STATUSES;

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2), [
    'audience',
    'status',
    'rebuild',
    'replace',
  ]);
  const config = loadConfig();
  const paths = positional.length > 0 ? positional : flags.has('rebuild') ? [] : [config.corpusDir];
  const options: IngestOptions = {};
  const audience = flags.get('audience');
  if (audience !== undefined) {
    if (audience !== 'public' && audience !== 'internal')
      throw new Error('--audience must be public or internal');
    options.audience = audience as Audience;
  }
  const status = flags.get('status');
  if (status !== undefined) {
    if (!STATUSES.includes(status as ValidityStatus))
      throw new Error(`--status must be one of ${STATUSES.join(', ')}`);
    options.status = status as ValidityStatus;
  }
  const store = new SnapshotStore(config.dataDir, config.snapshotsKeep);
  // One writer at a time: a running server's re-index or another ingest is named, and nothing changes.
  const release = store.lock(`npm run ingest`);
  const bar = buildProgressBar();
  let report;
  try {
    await store.removeLeftovers();
    report = await reindex(
      store,
      config.embedder,
      {
        paths,
        rebuild: flags.has('rebuild'),
        replaceAll: flags.has('replace'),
        ...(Object.keys(options).length > 0 ? { options } : {}),
        ocr: config.ocr,
      },
      { files: bar.onFile, build: bar.onBuild, ocr: bar.onOcr },
    );
  } finally {
    release();
  }
  bar.stop();
  return printReindexReport(report);
}

runCommand('ingest', main);
