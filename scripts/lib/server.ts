/** Running the real server as a child process for benchmarks: a free port, readiness, memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { procStatFields } from '../../src/lib/proc.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitReady(
  base: string,
  child: { exitCode: number | null },
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready in time');
}

/** Node processes started by `pid` (a WORKERS > 1 server's workers; not tsx's esbuild service), recursively. */
export async function nodeDescendants(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const children = await readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '');
    for (const child of children.split(' ').filter(Boolean).map(Number)) {
      const cmdline = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => 'esbuild');
      if (cmdline.includes('esbuild')) continue;
      out.push(child, ...(await nodeDescendants(child)));
    }
  }
  return out;
}

/** Peak (VmHWM) or current (VmRSS) resident memory in MB of a server process and of each of its worker processes (Linux /proc). */
export async function processRssMb(pid: number, which: 'VmHWM' | 'VmRSS' = 'VmHWM'): Promise<number[]> {
  const out: number[] = [];
  for (const p of [pid, ...(await nodeDescendants(pid))]) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    out.push(Math.round(Number(new RegExp(`${which}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024));
  }
  return out;
}

/**
 * CPU time (user + system, ms) a server process and its worker processes have used so far (Linux
 * /proc, in clock ticks of 10 ms). Per request it leaves out the time the load client and the
 * other processes take from the server's cores, which req/s includes.
 */
export async function cpuMs(pid: number): Promise<number> {
  let ticks = 0;
  for (const p of [pid, ...(await nodeDescendants(pid))]) {
    const fields = procStatFields(await readFile(`/proc/${p}/stat`, 'utf8').catch(() => ''));
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks * 10;
}

/**
 * Peak (VmHWM) or current (VmRSS) resident memory of a server process in MB, summed with its
 * worker processes when it runs several (the sum of peaks for VmHWM).
 */
export async function rssMb(pid: number, which: 'VmHWM' | 'VmRSS' = 'VmHWM'): Promise<number> {
  return (await processRssMb(pid, which)).reduce((a, b) => a + b, 0);
}

/**
 * The environment and Node flags of `npm start` (the `NAME=value` words before "node", and what
 * is between "node" and "--import"), read from package.json so they cannot drift.
 */
async function startCommand(): Promise<{ env: Record<string, string>; flags: string }> {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const m = /^((?:\w+=\S* )*)node (.*?) ?--import /u.exec(pkg.scripts.start);
  const env = Object.fromEntries(
    (m?.[1] ?? '')
      .split(' ')
      .filter(Boolean)
      .map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]),
  );
  return { env, flags: m?.[2] ?? '' };
}

/**
 * Starts `src/start.ts` with the same environment variables and Node flags as `npm start` on a
 * free loopback port, with `env` added (WORKERS among them), and waits until it is ready.
 */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const start = await startCommand();
  const flags = process.env.BENCH_NODE_FLAGS ?? start.flags;
  const child = spawn(
    process.execPath,
    [...flags.split(' ').filter(Boolean), '--import', 'tsx', path.join(root, 'src/start.ts')],
    {
      env: { ...process.env, ...start.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    },
  );
  const workers = Number(env.WORKERS ?? process.env.WORKERS ?? 1);
  const serving =
    workers > 1
      ? new Promise<void>((resolve) =>
          child.on('message', (m: { type?: string }) => m.type === 'tlcv:serving' && resolve()),
        )
      : Promise.resolve();
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, child, 120_000);
    // WORKERS > 1: ready when the primary says every worker serves (over the IPC channel).
    await serving;
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return { child, base };
}

/** Value at percentile `p` (0…1) of sorted numbers, rounded to 0.01. */
export function percentile(sorted: readonly number[], p: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 100) / 100;
}
