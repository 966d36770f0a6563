/**
 * npm run bench [-- --corpus <file or folder>] [--duration 20] [--connections 50] [--endpoint chat|search]
 * Builds an index of the corpus in a temporary DATA_DIR (timed), starts the server on loopback as a
 * child process, drives `POST /api/chat` (or `GET /api/search`) with a realistic question mix from
 * autocannon in this process (each request a new conversation), and prints latency percentiles,
 * requests per second, errors, the server's peak RSS, then one JSON line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { reindex } from '../src/admin/reindex.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { parseArgs } from './lib/args.js';
import { buildProgressBar } from './lib/progress.js';
import { percentile, root, rssMb, startServerProcess } from './lib/server.js';

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const corpus = path.resolve(String(flags.get('corpus') ?? config.corpusDir));
  const duration = Number(flags.get('duration') ?? 20);
  const connections = Number(flags.get('connections') ?? 50);
  const endpoint = flags.get('endpoint') === 'search' ? 'search' : 'chat';
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bench-'));
  try {
    const bar = buildProgressBar();
    const report = await reindex(new SnapshotStore(dataDir), config.embedder, { paths: [corpus] }, {
      files: bar.onFile,
      build: bar.onBuild,
    });
    bar.stop();
    if (report.failed.length) console.error(`warning: ${report.failed.length} file(s) failed: ${report.failed.map((f) => f.path).join(', ')}`);
    const buildS = report.buildMs / 1000;
    // All load comes from one loopback address; the per-IP limit would otherwise be what is measured.
    const { child, base } = await startServerProcess({ DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '10000000' });
    try {
      // Separates the cost of loading the index from the growth under load.
      const readyRss = await rssMb(child.pid!, 'VmRSS');
      const readyPeak = await rssMb(child.pid!);
      const questions = (await readFile(path.join(root, 'scripts/bench-questions.txt'), 'utf8')).split('\n').filter(Boolean);
      const requests =
        endpoint === 'chat'
          ? questions.map((q) => ({ method: 'POST' as const, path: '/api/chat', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: q }) }))
          : questions.map((q) => ({ method: 'GET' as const, path: `/api/search?q=${encodeURIComponent(q)}` }));
      const latencies: number[] = [];
      // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
      const instance = autocannon({ url: base, connections, duration, requests }) as unknown as autocannon.Instance &
        PromiseLike<autocannon.Result>;
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        latencies.push(responseTime),
      );
      const result = await instance;
      latencies.sort((a, b) => a - b);
      const pct = (p: number) => percentile(latencies, p);
      const rss = await rssMb(child.pid!);
      const errors = result.errors + result.timeouts + result.non2xx;
      const summary = {
        corpus: path.relative(root, corpus) || corpus,
        documents: report.documents,
        passages: report.chunks,
        build_s: Math.round(buildS * 10) / 10,
        endpoint: endpoint === 'chat' ? '/api/chat' : '/api/search',
        connections,
        duration_s: duration,
        p50_ms: pct(0.5),
        p95_ms: pct(0.95),
        p99_ms: pct(0.99),
        rps: Math.round(result.requests.average),
        requests: result.requests.total,
        errors,
        peak_rss_mb: rss,
        ready_rss_mb: readyRss,
        ready_peak_rss_mb: readyPeak,
      };
      console.log(`\ncorpus ${summary.corpus}: ${summary.documents} documents, ${summary.passages} passages, built in ${summary.build_s} s`);
      console.log(`${summary.endpoint}, ${connections} connections, ${duration} s: p50 ${summary.p50_ms} ms · p95 ${summary.p95_ms} ms · p99 ${summary.p99_ms} ms · ${summary.rps} req/s · ${errors} errors · server peak RSS ${rss} MB (when ready: ${readyRss} MB, peak while loading ${readyPeak} MB)`);
      console.log(JSON.stringify(summary));
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${describeError(err)}`);
  process.exit(1);
});
