/**
 * npm run bench [-- --corpus <file or folder>] [--duration 20] [--connections 50] [--endpoint chat|search]
 *                  [--repeat-share 0] [--cycled-duration 10] [--questions <a.jsonl,b.jsonl>] [--servers 1]
 * Builds an index of the corpus in a temporary DATA_DIR (timed), starts the server on loopback as a
 * child process (the flags of `npm start`), and drives `POST /api/chat` (or `GET /api/search`)
 * from autocannon in this process, each request a new conversation:
 * 1. distinct questions: the shared question files plus questions generated from the corpus
 *    (names × field phrases, with and without diacritics, typos), each asked once unless
 *    `--repeat-share` sends that share of requests to 50 popular questions instead;
 * 2. the 32 questions of scripts/bench-questions.txt cycled (a cache-friendly mix, labelled so).
 * Also measures the loopback ceiling (a bare Node HTTP server answering a fixed 1 kB JSON to the
 * same client), the retrieval cache hit rate of each run (from /metrics), the server's RSS every
 * 10 s and its CPU time per request over the distinct run. Prints a table, then one JSON line for
 * the distinct run. Left out: conversations of several turns (each request starts one), Zalo and
 * Bot Framework (bench:zalo, bench:widget).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { reindex } from '../src/admin/reindex.js';
import { IndexSnapshot } from '../src/index/snapshot.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { parseArgs } from './lib/args.js';
import { distinctQuestions, random, SHARED_QUESTION_FILES, sharedQuestions } from './lib/bench-mix.js';
import { buildProgressBar } from './lib/progress.js';
import { cpuMs, freePort, percentile, processRssMb, root, rssMb, startServerProcess } from './lib/server.js';

/** One load run's figures. */
interface Run {
  label: string;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps: number;
  requests: number;
  errors: number;
  cache_hit_rate: number | null;
  distinct_share: number;
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), [
    'connections',
    'corpus',
    'cycled-duration',
    'duration',
    'endpoint',
    'questions',
    'repeat-share',
    'servers',
  ]);
  const config = loadConfig();
  const corpus = path.resolve(String(flags.get('corpus') ?? config.corpusDir));
  const duration = Number(flags.get('duration') ?? 20);
  const cycledDuration = Number(flags.get('cycled-duration') ?? 10);
  const connections = Number(flags.get('connections') ?? 50);
  const repeatShare = Number(flags.get('repeat-share') ?? 0);
  const endpoint = flags.get('endpoint') === 'search' ? 'search' : 'chat';
  const servers = Number(flags.get('servers') ?? 1);
  if (!Number.isInteger(servers) || servers < 1) throw new Error('--servers must be a whole number ≥ 1');
  const questionFiles =
    typeof flags.get('questions') === 'string'
      ? String(flags.get('questions')).split(',')
      : SHARED_QUESTION_FILES.map((f) => path.join(root, '..', 'shared', 'datasets', f));
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bench-'));
  try {
    const bar = buildProgressBar();
    const store = new SnapshotStore(dataDir);
    const report = await reindex(
      store,
      config.embedder,
      { paths: [corpus] },
      { files: bar.onFile, build: bar.onBuild },
    );
    bar.stop();
    if (report.failed.length)
      console.error(
        `warning: ${report.failed.length} file(s) failed: ${report.failed.map((f) => f.path).join(', ')}`,
      );
    const buildS = report.buildMs / 1000;
    const titles = [
      ...(await IndexSnapshot.readDocuments(store.dirOf((await store.currentId())!))).values(),
    ].map((d) => d.meta.title);
    const questions = distinctQuestions(titles, await sharedQuestions(questionFiles), 40_000);
    const ceiling = await loopbackCeiling(connections, Math.min(10, duration));
    // All load comes from one loopback address; the per-IP limit would otherwise be what is measured.
    // --servers N: N server processes on the same data folder (each with its own copy of the
    // index), each loaded by its share of the connections: what a second worker would give.
    const started: Awaited<ReturnType<typeof startServerProcess>>[] = [];
    const children = () => started.map((s) => s.child);
    const bases = () => started.map((s) => s.base);
    const rssAll = async (field?: 'VmRSS') =>
      (await Promise.all(children().map((c) => rssMb(c.pid!, field)))).reduce((a, b) => a + b, 0);
    try {
      for (let i = 0; i < servers; i++)
        started.push(await startServerProcess({ DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '10000000' }));
      const readyRss = await rssAll('VmRSS');
      const readyPeak = await rssAll();
      const series: number[] = [];
      const sampler = setInterval(() => void rssAll('VmRSS').then((mb) => series.push(mb)), 10_000);
      const rnd = random(7);
      const popular = questions.slice(0, 50);
      let next = 50;
      const asked = new Set<string>();
      const pick = () => {
        const q =
          rnd() < repeatShare
            ? popular[Math.floor(rnd() * popular.length)]!
            : questions[next++ % questions.length]!;
        asked.add(q);
        return q;
      };
      const cpuAll = async () =>
        (await Promise.all(children().map((c) => cpuMs(c.pid!)))).reduce((a, b) => a + b, 0);
      const cpuBefore = await cpuAll();
      const distinct = await drive(
        bases(),
        endpoint,
        connections,
        duration,
        pick,
        `distinct questions${repeatShare > 0 ? ` + ${Math.round(repeatShare * 100)} % repeats` : ''}`,
      );
      const cpuPerRequest =
        Math.round((((await cpuAll()) - cpuBefore) / Math.max(1, distinct.requests)) * 100) / 100;
      distinct.distinct_share = Math.min(
        1,
        Math.round((asked.size / Math.max(1, distinct.requests)) * 1000) / 1000,
      );
      const peakAfterDistinct = await rssAll();
      // With WORKERS > 1 each worker is a serving process of its own: its peak is the per-process figure.
      const perProcess = (await Promise.all(children().map((c) => processRssMb(c.pid!)))).flat();
      const cycledList = (await readFile(path.join(root, 'scripts/bench-questions.txt'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      let c = 0;
      const cycled =
        cycledDuration > 0
          ? await drive(
              bases(),
              endpoint,
              connections,
              cycledDuration,
              () => cycledList[c++ % cycledList.length]!,
              `the ${cycledList.length} bench questions cycled (cached)`,
            )
          : null;
      clearInterval(sampler);
      const peak = await rssAll();
      const rows = [distinct, ...(cycled ? [cycled] : [])];
      console.log(
        `\ncorpus ${path.relative(root, corpus) || corpus}: ${report.documents} documents, ${report.chunks} passages, built in ${buildS.toFixed(1)} s; ${questions.length} distinct questions available`,
      );
      console.log(
        `loopback ceiling (bare Node server, fixed 1 kB JSON, ${connections} connections): ${ceiling.rps} req/s, p99 ${ceiling.p99} ms`,
      );
      console.log('| load | req/s | share of ceiling | p50 | p95 | p99 | errors | cache hits |');
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const r of rows) {
        console.log(
          `| ${r.label} | ${r.rps} | ${((r.rps / ceiling.rps) * 100).toFixed(1)} % | ${r.p50_ms} ms | ${r.p95_ms} ms | ${r.p99_ms} ms | ${r.errors} | ${r.cache_hit_rate === null ? '—' : `${(r.cache_hit_rate * 100).toFixed(1)} %`} |`,
        );
      }
      console.log(
        `server CPU (user + system, every server process) during the distinct run: ${cpuPerRequest} ms a request (unlike req/s, not shared with the load client; it still varies with the machine's speed: read it with the ceiling above)`,
      );
      if (clusterWorkers() > 1)
        console.log(
          'cache hits: — with WORKERS > 1 each worker counts its own, and /metrics answers from whichever worker takes the request',
        );
      console.log(
        `server RSS${servers > 1 ? ` (${servers} processes, summed)` : ''}: ${readyRss} MB when ready (peak while loading ${readyPeak} MB), peak ${peakAfterDistinct} MB after the distinct run, ${peak} MB at the end; every 10 s: ${series.length > 0 ? `${series.join(', ')} MB` : '— (run shorter than 10 s)'}${perProcess.length > 1 ? `; peak of each process (primary first): ${perProcess.join(', ')} MB` : ''}`,
      );
      console.log(
        JSON.stringify({
          corpus: path.relative(root, corpus) || corpus,
          documents: report.documents,
          passages: report.chunks,
          build_s: Math.round(buildS * 10) / 10,
          endpoint: endpoint === 'chat' ? '/api/chat' : '/api/search',
          connections,
          servers,
          workers_per_server: clusterWorkers(),
          duration_s: duration,
          repeat_share: repeatShare,
          distinct_share: distinct.distinct_share,
          p50_ms: distinct.p50_ms,
          p95_ms: distinct.p95_ms,
          p99_ms: distinct.p99_ms,
          rps: distinct.rps,
          requests: distinct.requests,
          cpu_ms_per_request: cpuPerRequest,
          errors: distinct.errors,
          cache_hit_rate: distinct.cache_hit_rate,
          ceiling_rps: ceiling.rps,
          share_of_ceiling: Math.round((distinct.rps / ceiling.rps) * 1000) / 1000,
          peak_rss_mb: peakAfterDistinct,
          peak_rss_per_process_mb: perProcess,
          ready_rss_mb: readyRss,
          rss_series_mb: series,
          cycled: cycled
            ? { rps: cycled.rps, p95_ms: cycled.p95_ms, cache_hit_rate: cycled.cache_hit_rate }
            : null,
        }),
      );
    } finally {
      for (const c of children()) c.kill('SIGTERM');
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Server processes behind each port (`WORKERS`, as `npm start` reads it). */
function clusterWorkers(): number {
  return Number(process.env.WORKERS ?? 1);
}

/** Reads the retrieval cache counters from /metrics. */
async function cacheCounters(base: string): Promise<{ hits: number; misses: number } | null> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'mu').exec(text)?.[1] ?? NaN);
  const hits = read('retrieval_cache_hits');
  const misses = read('retrieval_cache_misses');
  return Number.isNaN(hits) || Number.isNaN(misses) ? null : { hits, misses };
}

/** One autocannon run per server, at once, the connections shared out, every request asking `pick()`. */
async function drive(
  bases: string[],
  endpoint: 'chat' | 'search',
  connections: number,
  duration: number,
  pick: () => string,
  label: string,
): Promise<Run> {
  const counters = async () => {
    // Cluster workers count their own cache use and /metrics answers from one of them: no rate.
    if (clusterWorkers() > 1) return null;
    const all = await Promise.all(bases.map(cacheCounters));
    if (all.some((c) => c === null)) return null;
    let hits = 0;
    let misses = 0;
    for (const c of all) {
      hits += c!.hits;
      misses += c!.misses;
    }
    return { hits, misses };
  };
  const before = await counters();
  const latencies: number[] = [];
  const request =
    endpoint === 'chat'
      ? {
          method: 'POST' as const,
          path: '/api/chat',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req: autocannon.Request) => ({ ...req, body: JSON.stringify({ message: pick() }) }),
        }
      : {
          method: 'GET' as const,
          path: '/api/search',
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            path: `/api/search?q=${encodeURIComponent(pick())}`,
          }),
        };
  const results = await Promise.all(
    bases.map((base, i) => {
      // Without a callback autocannon returns its tracker (an EventEmitter) made thenable.
      const instance = autocannon({
        url: base,
        connections: Math.floor(connections / bases.length) + (i < connections % bases.length ? 1 : 0),
        duration,
        requests: [request],
      }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) =>
        latencies.push(responseTime),
      );
      return instance;
    }),
  );
  const sum = (read: (r: autocannon.Result) => number) => results.reduce((a, r) => a + read(r), 0);
  const after = await counters();
  latencies.sort((a, b) => a - b);
  const lookups = before && after ? after.hits + after.misses - before.hits - before.misses : 0;
  return {
    label,
    p50_ms: percentile(latencies, 0.5),
    p95_ms: percentile(latencies, 0.95),
    p99_ms: percentile(latencies, 0.99),
    rps: Math.round(sum((r) => r.requests.average)),
    requests: sum((r) => r.requests.total),
    errors: sum((r) => r.errors + r.timeouts + r.non2xx),
    cache_hit_rate:
      before && after && lookups > 0
        ? Math.round(((after.hits - before.hits) / lookups) * 1000) / 1000
        : null,
    distinct_share: 0,
  };
}

/** Requests per second a bare Node HTTP server answering a fixed 1 kB JSON serves to this client on loopback. */
async function loopbackCeiling(connections: number, duration: number): Promise<{ rps: number; p99: number }> {
  const port = await freePort();
  const code = `const b=JSON.stringify({answer:'x'.repeat(1000)});require('node:http').createServer((q,s)=>{q.resume();q.on('end',()=>{s.writeHead(200,{'content-type':'application/json','content-length':Buffer.byteLength(b)});s.end(b)})}).listen(${port},'127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitReadyPlain(base, child);
    const result = await autocannon({
      url: base,
      connections,
      duration,
      method: 'POST',
      body: JSON.stringify({ message: 'x' }),
      headers: { 'content-type': 'application/json' },
    });
    return { rps: Math.round(result.requests.average), p99: result.latency.p99 };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Waits until a plain server answers anything. */
async function waitReadyPlain(base: string, child: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error('the ceiling server exited');
    try {
      await fetch(base);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('the ceiling server did not start');
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${describeError(err)}`);
  process.exit(1);
});
