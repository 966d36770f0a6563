import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors.js';
import type { EmbedderSetting } from '../index/embeddings/index.js';
import type { SnapshotStore } from '../index/snapshot-store.js';
import type { OcrSettings } from '../ingest/ocr/tesseract.js';
import type { Reranker } from '../retrieve/rerank.js';
import { DEFAULT_RETRIEVER, Retriever } from '../retrieve/retriever.js';
import type { DocumentLibrary } from './library.js';
import { reindex, type ReindexReport, type ReindexRequest } from './reindex.js';

/** What the worker needs. */
export interface JobInput {
  dataDir: string;
  keep: number;
  setting: EmbedderSetting;
  request: ReindexRequest;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; phase: string; done: number; total: number; file?: string }
  | { type: 'done'; report: ReindexReport }
  | { type: 'error'; message: string; code: string };

/** A re-index job as the admin API shows it. */
export interface Job {
  id: string;
  kind: 'incremental' | 'full';
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  finishedAt?: string;
  actor: string;
  /** Current phase: reading (files), ocr (pages of a scanned file), lexical, restorer, embedding, publishing, loading. */
  phase: string;
  done: number;
  total: number;
  file?: string;
  report?: ReindexReport;
  error?: string;
}

/**
 * The snapshot in service. `current()` is read once per request, so a request finishes on the
 * snapshot it started with; `swap` replaces it atomically for the requests after; the old one is
 * released to the garbage collector when the last request holding it ends.
 */
export class LiveIndex {
  private retriever: Retriever | null = null;
  current = (): Retriever | null => this.retriever;
  swap(next: Retriever): void {
    this.retriever = next;
  }
}

/**
 * Runs re-indexes one at a time (a second request gets 409 naming the running job) in a worker
 * thread, then loads the published snapshot beside the one in service and swaps it in. Also
 * activates earlier snapshots (rollback).
 */
export class ReindexJobs {
  private running: Job | null = null;
  private readonly jobs = new Map<string, Job>();
  /** Ids of the jobs other server processes run (WORKERS > 1), as they last reported them. */
  private readonly mirrored = new Set<string>();
  readonly events = new EventEmitter();

  constructor(
    private readonly o: {
      store: SnapshotStore;
      library: DocumentLibrary;
      live: LiveIndex;
      setting: EmbedderSetting;
      corpusDir: string;
      /** OCR of scanned uploads (defaults when absent). */
      ocr?: OcrSettings;
      /** Run in this thread instead of a worker (CLI, or where workers cannot load TypeScript). */
      inProcess?: boolean;
      /** The re-ranking endpoint's client (RERANK_BASE_URL), kept across re-indexes. */
      reranker?: Reranker | null;
    },
  ) {
    this.events.setMaxListeners(100);
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** The running job, this process's or another server process's. */
  active(): Job | null {
    if (this.running) return this.running;
    for (const id of this.mirrored) {
      const job = this.jobs.get(id);
      if (job?.state === 'running') return job;
    }
    return null;
  }

  /**
   * Records the state of a job another server process runs, so that this one answers its status
   * and progress events and refuses a second re-index while it runs.
   */
  mirror(job: Job): void {
    this.mirrored.add(job.id);
    const known = this.jobs.get(job.id);
    if (known) Object.assign(known, job);
    else this.remember({ ...job });
    this.events.emit('job', this.jobs.get(job.id)!);
  }

  /** True when this process runs the job (false for a mirrored one). */
  owns(id: string): boolean {
    return this.jobs.has(id) && !this.mirrored.has(id);
  }

  private remember(job: Job): void {
    this.jobs.set(job.id, job);
    if (this.jobs.size > 50) {
      const oldest = this.jobs.keys().next().value!;
      this.jobs.delete(oldest);
      this.mirrored.delete(oldest);
    }
  }

  /** Starts a re-index of the corpus folder plus uploads; throws `conflict` (409) while one runs. */
  start(options: { full?: boolean; actor: string }): Job {
    const id = randomUUID();
    // The data folder's lock refuses a second one (409 naming it), whoever runs the first: this
    // process, another worker, `npm run reindex` or `npm run ingest`.
    const release = this.o.store.lock(`re-index job ${id}`, id);
    const job: Job = {
      id,
      kind: options.full ? 'full' : 'incremental',
      state: 'running',
      startedAt: new Date().toISOString(),
      actor: options.actor,
      phase: 'starting',
      done: 0,
      total: 0,
    };
    try {
      this.running = job;
      this.remember(job);
      // Announced at once: other server processes (WORKERS > 1) refuse a second re-index from now on.
      this.events.emit('job', job);
    } catch (err) {
      release();
      this.running = null;
      throw err;
    }
    void this.run(job, options.full === true).finally(() => {
      release();
      this.running = null;
    });
    return job;
  }

  /** Resolves when the job ends (for tests and the CLI). */
  async wait(id: string): Promise<Job> {
    const job = this.jobs.get(id);
    if (!job) throw new AppError('not_found', `no re-index job ${id}`);
    if (job.state !== 'running') return job;
    return new Promise((resolve) => {
      const on = (j: Job) => {
        if (j.id === id && j.state !== 'running') {
          this.events.off('job', on);
          resolve(j);
        }
      };
      this.events.on('job', on);
    });
  }

  /** Points CURRENT at an earlier snapshot and serves it. */
  async activate(id: string): Promise<void> {
    // Refused (409) while a re-index runs, here or in another process.
    const release = this.o.store.lock(`rollback to ${id}`);
    try {
      const previous = await this.o.store.currentId();
      await this.o.store.activate(id);
      try {
        await this.load();
      } catch (err) {
        if (previous) await this.o.store.activate(previous);
        throw err;
      }
    } finally {
      release();
    }
  }

  /**
   * Serves the snapshot CURRENT points at when another process (the CLI, another instance)
   * moved it; returns the id now served when it changed.
   */
  follow(): Promise<string | null> {
    // The timer and a peer's news may both ask while a load runs: they share it rather than load twice.
    this.following ??= this.followOnce().finally(() => {
      this.following = null;
    });
    return this.following;
  }

  private following: Promise<string | null> | null = null;

  private async followOnce(): Promise<string | null> {
    if (this.active()) return null;
    const id = await this.o.store.currentId();
    if (!id || id === this.o.live.current()?.snapshot.manifest.id) return null;
    await this.load();
    return id;
  }

  private update(job: Job, change: Partial<Job>): void {
    Object.assign(job, change);
    this.events.emit('job', job);
  }

  private async run(job: Job, full: boolean): Promise<void> {
    try {
      // Holding the lock, nobody else is writing a snapshot: folders being written are leftovers.
      await this.o.store.removeLeftovers();
      const request: ReindexRequest = {
        paths: [this.o.corpusDir, ...(await this.o.library.files())],
        // Files ingested from the command line stay; deleted uploads and removed corpus files go.
        dropMissing: true,
        rebuild: full,
        patches: await this.o.library.patches(),
        ...(this.o.ocr ? { ocr: this.o.ocr } : {}),
      };
      const report = this.o.inProcess
        ? await this.runHere(job, request)
        : await this.runInWorker(job, request);
      if (report.snapshotId) {
        this.update(job, { phase: 'loading', done: 0, total: 1 });
        await this.load();
      }
      this.update(job, {
        state: 'succeeded',
        report,
        phase: 'done',
        done: 1,
        total: 1,
        finishedAt: new Date().toISOString(),
      });
    } catch (err) {
      this.update(job, {
        state: 'failed',
        error: (err as Error).message,
        finishedAt: new Date().toISOString(),
      });
    }
  }

  private async load(): Promise<void> {
    const snapshot = await this.o.store.loadCurrent(this.o.setting);
    if (!snapshot) throw new AppError('snapshot_missing', 'no snapshot is published');
    this.o.live.swap(new Retriever(snapshot, DEFAULT_RETRIEVER, this.o.reranker ?? null));
  }

  private async runHere(job: Job, request: ReindexRequest): Promise<ReindexReport> {
    return reindex(this.o.store, this.o.setting, request, {
      files: (done, total, file) => this.update(job, { phase: 'reading', done, total, file }),
      build: (phase, done, total) => this.update(job, { phase, done, total }),
      ocr: (done, total, file) => this.update(job, { phase: 'ocr', done, total, file }),
    });
  }

  /**
   * Starts the worker thread ahead of the first job, so that a re-index does not wait for its
   * modules to load. It does not keep the process alive.
   */
  warm(): void {
    if (!this.o.inProcess) this.workerThread();
  }

  private worker: Worker | null = null;

  private workerThread(): Worker {
    if (this.worker) return this.worker;
    const url = new URL(
      import.meta.url.endsWith('.ts') ? './reindex-worker.ts' : './reindex-worker.js',
      import.meta.url,
    );
    const worker = new Worker(url, { execArgv: url.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [] });
    worker.unref();
    const forget = () => {
      if (this.worker === worker) this.worker = null;
    };
    worker.on('error', forget);
    worker.on('exit', forget);
    this.worker = worker;
    return worker;
  }

  private runInWorker(job: Job, request: ReindexRequest): Promise<ReindexReport> {
    const input: JobInput = {
      dataDir: this.o.store.dataDir,
      keep: this.o.store.keep,
      setting: this.o.setting,
      request,
    };
    const worker = this.workerThread();
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        // A build leaves a large heap behind: end this worker and start a fresh one for the next job.
        if (this.worker === worker) this.worker = null;
        void worker.terminate().then(() => this.warm());
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'progress')
          this.update(job, {
            phase: m.phase,
            done: m.done,
            total: m.total,
            ...(m.file ? { file: m.file } : {}),
          });
        else if (m.type === 'done') {
          done();
          resolve(m.report);
        } else if (m.type === 'error') {
          done();
          reject(new AppError('internal', m.message));
        }
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      const onExit = (code: number) => {
        done();
        reject(new Error(`the re-index worker stopped with code ${code}`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(input);
    });
  }
}
