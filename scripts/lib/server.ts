/** Running the real server as a child process for benchmarks: a free port, readiness, memory. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Peak (VmHWM) or current (VmRSS) resident memory of a process, in MB (Linux /proc). */
export async function rssMb(pid: number, which: 'VmHWM' | 'VmRSS' = 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${which}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
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
 * Starts `src/main.ts` with the same environment variables and Node flags as `npm start` on a
 * free loopback port, with `env` added, and waits until it is ready.
 */
export async function startServerProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const start = await startCommand();
  const flags = process.env.BENCH_NODE_FLAGS ?? start.flags;
  const child = spawn(
    process.execPath,
    [...flags.split(' ').filter(Boolean), '--import', 'tsx', path.join(root, 'src/main.ts')],
    {
      env: { ...process.env, ...start.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, child, 120_000);
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
