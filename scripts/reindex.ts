/**
 * npm run reindex [-- --full]
 * The admin API's re-index from the command line: the corpus folder plus uploaded files, with the
 * administrator's metadata edits and deletions, incremental by content hash (`--full` rebuilds
 * every index). A running server picks the new snapshot up within a few seconds.
 */
import { loadConfig } from '../src/config.js';
import { LiveIndex, ReindexJobs } from '../src/admin/jobs.js';
import { DocumentLibrary } from '../src/admin/library.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import type { BuildPhase } from '../src/index/manifest.js';
import { parseArgs } from './lib/args.js';
import { buildProgressBar } from './lib/progress.js';
import { printReindexReport } from './lib/report.js';
import { runCommand } from './lib/run.js';

async function main(): Promise<number> {
  const { flags } = parseArgs(process.argv.slice(2), ['full']);
  const config = loadConfig();
  const store = new SnapshotStore(config.dataDir, config.snapshotsKeep);
  const jobs = new ReindexJobs({
    store,
    library: new DocumentLibrary(config.dataDir, config.ocr),
    live: new LiveIndex(),
    setting: config.embedder,
    corpusDir: config.corpusDir,
    ocr: config.ocr,
    inProcess: true,
  });
  const bar = buildProgressBar();
  jobs.events.on('job', (j: { phase: string; done: number; total: number; file?: string }) => {
    if (j.phase === 'reading') bar.onFile(j.done, j.total, j.file ?? '');
    else if (['lexical', 'restorer', 'embedding', 'publishing'].includes(j.phase))
      bar.onBuild(j.phase as BuildPhase, j.done, j.total);
  });
  const job = await jobs.wait(
    jobs.start({ full: flags.has('full'), actor: `cli:${process.env.USER ?? 'unknown'}` }).id,
  );
  bar.stop();
  if (job.state === 'failed') throw new Error(job.error ?? 'the re-index failed');
  return printReindexReport(job.report!);
}

runCommand('reindex', main);
