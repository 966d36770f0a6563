/**
 * WORKERS > 1: several server processes share the port (node:cluster), each with its own copy of
 * the index, so that both cores of a small machine answer. The primary process only starts the
 * workers (one after another: the first builds the index on a first start, the others load it),
 * starts a new one when one dies, relays re-index jobs between them and stops them on SIGTERM.
 *
 * What each worker keeps on its own: its index (a re-index in one is served by the others within
 * seconds, as they follow the snapshot store's CURRENT), its caches, its /metrics counters and its
 * share of the per-address rate limit. Conversations and everything else live in the database.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Job, ReindexJobs } from './admin/jobs.js';

/** Messages between the primary and the workers. */
export type ClusterMessage =
  /** A worker has loaded its index and listens. */
  | { type: 'tlcv:ready' }
  /** A re-index job changed in the worker `pid` that runs it (relayed to the others). */
  | { type: 'tlcv:job'; job: Job; pid: number }
  /** Worker `pid` stopped: the jobs it was running will not finish. */
  | { type: 'tlcv:gone'; pid: number };

function isClusterMessage(m: unknown): m is ClusterMessage {
  return typeof m === 'object' && m !== null && String((m as { type?: unknown }).type).startsWith('tlcv:');
}

/** Delay before a worker that died is replaced; doubles while workers keep dying young, up to a minute. */
const RESTART_MS = 1000;

/** Runs the primary process: starts `count` workers and keeps them running until SIGTERM/SIGINT. */
export async function runPrimary(count: number, log: (line: string) => void): Promise<void> {
  let stopping = false;
  let restartMs = RESTART_MS;
  // The last word on each recent job, replayed to a worker that starts while one runs (a replacement).
  const jobs = new Map<string, ClusterMessage>();
  // A worker may be shutting down while it still counts as connected: what it misses then does
  // not matter, and the failed write must not become an unhandled 'error' that stops the primary.
  const post = (w: Worker, m: ClusterMessage) => {
    try {
      w.send(m, () => {});
    } catch {
      // The channel closed between the check and the write.
    }
  };
  const broadcast = (m: ClusterMessage, except?: Worker) => {
    for (const w of Object.values(cluster.workers ?? {}))
      if (w && w !== except && w.isConnected()) post(w, m);
  };
  const start = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = cluster.fork();
      const startedAt = Date.now();
      const pid = worker.process.pid!;
      worker.on('message', (m: unknown) => {
        if (!isClusterMessage(m)) return;
        if (m.type === 'tlcv:ready') {
          for (const known of jobs.values()) post(worker, known);
          log(`worker ${pid} serving`);
          resolve();
        } else if (m.type === 'tlcv:job') {
          jobs.delete(m.job.id);
          jobs.set(m.job.id, m);
          if (jobs.size > 50) jobs.delete(jobs.keys().next().value!);
          broadcast(m, worker);
        }
      });
      worker.on('exit', (code, signal) => {
        resolve();
        // While stopping, the others are going too.
        if (!stopping) broadcast({ type: 'tlcv:gone', pid });
        for (const [id, known] of jobs)
          if (known.type === 'tlcv:job' && known.pid === pid && known.job.state === 'running')
            jobs.delete(id);
        if (stopping) return;
        log(`worker ${pid} stopped (${signal ?? `code ${code}`}); starting another in ${restartMs} ms`);
        restartMs = Date.now() - startedAt > 60_000 ? RESTART_MS : Math.min(60_000, restartMs * 2);
        setTimeout(() => void start(), restartMs);
      });
    });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      log(`${signal}: stopping ${workers.length} worker(s)`);
      if (workers.length === 0) process.exit(0);
      let left = workers.length;
      for (const w of workers) {
        w.once('exit', () => {
          if (--left === 0) process.exit(0);
        });
        w.process.kill(signal);
      }
    });
  }
  for (let i = 0; i < count; i++) await start();
  log(`${count} workers serving`);
  // A supervisor that started this process with an IPC channel (the benchmark) learns it is ready.
  process.send?.({ type: 'tlcv:serving', workers: count });
}

/**
 * In a worker: tells the primary when it is ready, reports the jobs it runs and mirrors the
 * others'; `onOtherJobDone` runs when another worker's job succeeded (its snapshot is to be served).
 */
export function joinCluster(jobs: Pick<ReindexJobs, 'events' | 'mirror' | 'owns' | 'get'>): {
  ready(): void;
  onOtherJobDone(listener: () => void): void;
} {
  const send = (m: ClusterMessage) => {
    if (process.send && process.connected) process.send(m);
  };
  const from = new Map<string, number>();
  let otherDone: () => void = () => undefined;
  jobs.events.on('job', (job) => {
    if (jobs.owns(job.id)) send({ type: 'tlcv:job', job, pid: process.pid });
  });
  process.on('message', (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.type === 'tlcv:job') {
      from.set(m.job.id, m.pid);
      jobs.mirror(m.job);
      if (m.job.state === 'succeeded') otherDone();
    } else if (m.type === 'tlcv:gone') {
      for (const [id, pid] of from) {
        const job = jobs.get(id);
        if (pid === m.pid && job?.state === 'running')
          jobs.mirror({
            ...job,
            state: 'failed',
            error: 'the server process running this re-index stopped',
            finishedAt: new Date().toISOString(),
          });
      }
    }
  });
  return {
    ready: () => send({ type: 'tlcv:ready' }),
    onOtherJobDone: (listener) => {
      otherDone = listener;
    },
  };
}

/** True in a worker process of the cluster. */
export const inWorker = (): boolean => cluster.isWorker;
