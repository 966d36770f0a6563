/**
 * npm run bench:admin [-- --corpus ../shared/datasets/tthc/procedures.jsonl] [--connections 50] [--steady 15] [--pages 50] [--upload-only]
 * The administration benchmarks on a live server (child process, as `npm start`, admin API on):
 *  1. steady state: /api/chat under `connections` connections for `steady` seconds → p99;
 *  2. the same load during three consecutive full re-indexes and a rollback → failed requests,
 *     p99 over the whole phase and in the 3 s after each swap, compared with the steady p99;
 *  3. a `pages`-page PDF uploaded with ?reindex=1 → seconds from the upload's response until
 *     `/api/search` finds it, and the time of a full rebuild.
 * Prints each figure, then one JSON line.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { reindex } from '../src/admin/reindex.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { parseArgs } from './lib/args.js';
import { writeVietnamesePdf } from './lib/pdf-writer.js';
import { buildProgressBar } from './lib/progress.js';
import { percentile, root, rssMb, startServerProcess } from './lib/server.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const auth = { Authorization: `Bearer ${TOKEN}` };

interface Job {
  id: string;
  state: string;
  error?: string;
  report?: { snapshotId: string | null; buildMs: number };
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), [
    'connections',
    'corpus',
    'pages',
    'steady',
    'upload-only',
  ]);
  const config = loadConfig();
  const corpus = path.resolve(String(flags.get('corpus') ?? config.corpusDir));
  const connections = Number(flags.get('connections') ?? 50);
  const steadyS = Number(flags.get('steady') ?? 15);
  const pages = Number(flags.get('pages') ?? 50);
  const work = await mkdtemp(path.join(tmpdir(), 'tlcv-bench-admin-'));
  const dataDir = path.join(work, 'data');
  // The server's CORPUS_DIR: a folder holding (a link to) the corpus, as a province would keep it.
  const corpusDir = path.join(work, 'corpus');
  await mkdir(corpusDir, { recursive: true });
  await symlink(corpus, path.join(corpusDir, path.basename(corpus)));
  try {
    const bar = buildProgressBar();
    const initial = await reindex(
      new SnapshotStore(dataDir),
      config.embedder,
      { paths: [corpusDir] },
      { files: bar.onFile, build: bar.onBuild },
    );
    bar.stop();
    const { child, base } = await startServerProcess({
      DATA_DIR: dataDir,
      CORPUS_DIR: corpusDir,
      ADMIN_TOKEN: TOKEN,
      RATE_LIMIT_PER_MINUTE: '100000',
      SNAPSHOTS_KEEP: '10',
    });
    try {
      const questions = (await readFile(path.join(root, 'scripts/bench-questions.txt'), 'utf8'))
        .split('\n')
        .filter(Boolean);
      const requests = questions.map((q) => ({
        method: 'POST' as const,
        path: '/api/chat',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: q }),
      }));
      /** Load until `until` resolves (or for `seconds`); latencies with their completion times. */
      const load = async (opts: { seconds?: number; until?: Promise<unknown> }) => {
        const samples: { at: number; ms: number }[] = [];
        const instance = autocannon({
          url: base,
          connections,
          requests,
          ...(opts.seconds ? { duration: opts.seconds } : { duration: 3600 }),
        }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
        instance.on('response', (_c: unknown, _s: number, _b: number, ms: number) =>
          samples.push({ at: performance.now(), ms }),
        );
        if (opts.until) void opts.until.finally(() => instance.stop());
        const result = await instance;
        return {
          samples,
          errors: result.errors + result.timeouts + result.non2xx,
          requests: result.requests.total,
        };
      };
      const p99 = (xs: number[]) =>
        percentile(
          [...xs].sort((a, b) => a - b),
          0.99,
        );

      const skipLoad = flags.has('upload-only');
      console.log(`\n1. steady state: ${connections} connections for ${skipLoad ? 0 : steadyS} s`);
      const steady = skipLoad
        ? { samples: [{ at: 0, ms: 0 }], errors: 0, requests: 0 }
        : await load({ seconds: steadyS });
      const steadyP99 = p99(steady.samples.map((s) => s.ms));
      console.log(`   p99 ${steadyP99} ms, ${steady.requests} requests, ${steady.errors} errors`);

      console.log('2. the same load during three full re-indexes and a rollback');
      const swaps: number[] = [];
      const reindexes: number[] = [];
      const admin = (async () => {
        if (skipLoad) return;
        const before = (await (await fetch(`${base}/admin/api/snapshots`, { headers: auth })).json()) as {
          serving: string;
        };
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          const job = await runJob(base, true);
          reindexes.push(Math.round((performance.now() - t) / 100) / 10);
          swaps.push(performance.now());
          console.log(`   re-index ${i + 1}: ${job.state}, ${reindexes.at(-1)} s`);
        }
        const res = await fetch(`${base}/admin/api/snapshots/${before.serving}/activate`, {
          method: 'POST',
          headers: auth,
        });
        if (!res.ok) throw new Error(`rollback failed: HTTP ${res.status}`);
        swaps.push(performance.now());
        console.log(`   rollback to ${before.serving}`);
        await new Promise((r) => setTimeout(r, 3000));
      })();
      const during = skipLoad
        ? { samples: [{ at: 0, ms: 0 }], errors: 0, requests: 0 }
        : await load({ until: admin });
      await admin;
      const duringP99 = p99(during.samples.map((s) => s.ms));
      const afterSwaps = during.samples
        .filter((s) => swaps.some((w) => s.at >= w && s.at <= w + 3000))
        .map((s) => s.ms);
      const swapP99 = p99(afterSwaps);
      console.log(
        `   ${during.requests} requests, ${during.errors} failed; p99 over the phase ${duringP99} ms, in the 3 s after each swap ${swapP99} ms (steady ${steadyP99} ms, ${(swapP99 / steadyP99).toFixed(2)}×)`,
      );

      console.log(`3. a ${pages}-page PDF uploaded to the live server`);
      const phrase = 'quy trình thử nghiệm tiếp nhận hồ sơ qua kiốt tự phục vụ';
      const pdf = await writeVietnamesePdf(
        Array.from({ length: pages }, (_, i) =>
          i === 0
            ? `ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM\nSố: 03/2099/QĐ-UBND\nngày 05 tháng 01 năm 2099\n\nQUYẾT ĐỊNH\nBan hành ${phrase} (tài liệu đo kiểm)`
            : `Điều ${i}. Nội dung thứ ${i} của ${phrase}\n${'Bộ phận Một cửa tiếp nhận, kiểm tra và chuyển hồ sơ theo đúng thời hạn giải quyết. '.repeat(12)}`,
        ),
        { title: 'Quyết định 03/2099/QĐ-UBND' },
      );
      const form = new FormData();
      form.append('audience', 'public');
      form.append(
        'file',
        new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }),
        'qd-03-2099-kiot.pdf',
      );
      const up = await fetch(`${base}/admin/api/documents?reindex=1`, {
        method: 'POST',
        headers: auth,
        body: form,
      });
      const uploaded = performance.now();
      const upBody = (await up.json()) as { job?: Job; results: unknown[] };
      if (up.status !== 201 || !upBody.job)
        throw new Error(`upload failed: HTTP ${up.status} ${JSON.stringify(upBody.results)}`);
      let searchableS = NaN;
      for (let i = 0; i < 1200; i++) {
        const res = (await (
          await fetch(`${base}/api/search?q=${encodeURIComponent(phrase)}&k=3`)
        ).json()) as { results: { id: string }[] };
        if (res.results.some((r) => r.id === '03/2099/QĐ-UBND')) {
          searchableS = Math.round((performance.now() - uploaded) / 100) / 10;
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      console.log(
        `   searchable ${searchableS} s after the upload returned (${Math.round(pdf.length / 1024)} kB)`,
      );

      const fullStart = performance.now();
      await runJob(base, true);
      const fullS = Math.round((performance.now() - fullStart) / 100) / 10;
      console.log(`   full rebuild through the admin API (no load): ${fullS} s`);

      const summary = {
        corpus: path.relative(root, corpus) || corpus,
        documents: initial.documents,
        passages: initial.chunks,
        connections,
        steady_p99_ms: steadyP99,
        steady_requests: steady.requests,
        swap_phase_requests: during.requests,
        swap_phase_failed: during.errors,
        swap_phase_p99_ms: duringP99,
        after_swap_p99_ms: swapP99,
        after_swap_ratio: Math.round((swapP99 / steadyP99) * 100) / 100,
        reindex_under_load_s: reindexes,
        upload_searchable_s: searchableS,
        full_rebuild_s: fullS,
        peak_rss_mb: await rssMb(child.pid!),
      };
      console.log(JSON.stringify(summary));
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Starts a re-index through the admin API and polls it to the end. */
async function runJob(base: string, full: boolean): Promise<Job> {
  const res = await fetch(`${base}/admin/api/reindex`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ full }),
  });
  if (res.status !== 202) throw new Error(`re-index refused: HTTP ${res.status} ${await res.text()}`);
  const { job } = (await res.json()) as { job: Job };
  return waitJob(base, job.id);
}

async function waitJob(base: string, id: string): Promise<Job> {
  for (;;) {
    const { job } = (await (await fetch(`${base}/admin/api/reindex/${id}`, { headers: auth })).json()) as {
      job: Job;
    };
    if (job.state === 'failed') throw new Error(`re-index failed: ${job.error}`);
    if (job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 250));
  }
}

main().catch((err: unknown) => {
  console.error(`bench:admin failed: ${describeError(err)}`);
  process.exit(1);
});
