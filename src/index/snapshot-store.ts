import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { fsyncPath, fsyncTree, isNotFound, writeFileDurably } from '../lib/files.js';
import { procStatFields } from '../lib/proc.js';
import type { EmbedderSetting } from './embeddings/index.js';
import type { SnapshotManifest } from './manifest.js';
import { IndexSnapshot, readManifest } from './snapshot.js';

/** One published snapshot as listed for rollback. */
export interface SnapshotSummary {
  id: string;
  createdAt: string;
  active: boolean;
  counts: SnapshotManifest['counts'];
  embedder: SnapshotManifest['embedder'];
}

const POINTER = 'CURRENT';
const TMP_PREFIX = '.tmp-';
/** The write lock of a data folder: one re-index at a time across processes (see `lock`). */
const LOCK = 'reindex.lock';

/** Who holds a data folder's write lock, as written in the lock file. */
export interface LockHolder {
  pid: number;
  /** What runs: a re-index job, "npm run ingest", the first build. */
  holder: string;
  since: string;
  /** The re-index job's id, when a server's job holds it. */
  jobId?: string;
}

/** Lock files this process holds (a lock naming this process's id but not among them is stale). */
const heldLocks = new Set<string>();

/** True while a process with this id exists (EPERM: it exists under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When the process with this id started (ms since the epoch, Linux /proc), or null where unknown. */
function startedAt(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // starttime is field 22, in clock ticks (100 a second on Linux) since boot.
    const ticks = Number(procStatFields(stat)[19]);
    const boot = Number(/^btime (\d+)$/mu.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + ticks * 10 : null;
  } catch {
    return null;
  }
}

/** True when the lock's process still runs: alive, not started after the lock was taken, and not this process unless it holds it. */
function holds(lock: LockHolder, file: string): boolean {
  if (lock.pid === process.pid) return heldLocks.has(file);
  if (!alive(lock.pid)) return false;
  const started = startedAt(lock.pid);
  const since = Date.parse(lock.since);
  // A second of slack: the boot time is in whole seconds.
  return started === null || !Number.isFinite(since) || started <= since + 1000;
}

/**
 * Versioned snapshot folders under `<dataDir>/snapshots/` and an atomic `CURRENT` pointer.
 * Publishing writes a folder aside, fsyncs it, renames it into place, then swaps the pointer
 * with write-fsync-rename, so a crash at any moment leaves the previous snapshot loadable.
 */
export class SnapshotStore {
  readonly root: string;

  constructor(
    readonly dataDir: string,
    /** How many snapshots to keep for rollback (the active one is always kept). */
    readonly keep = 5,
  ) {
    this.root = path.join(dataDir, 'snapshots');
  }

  /** Id of the active snapshot, or null when none was ever published. */
  async currentId(): Promise<string | null> {
    try {
      const id = (await readFile(path.join(this.dataDir, POINTER), 'utf8')).trim();
      return id === '' ? null : id;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Folder of a snapshot id (not checked). */
  dirOf(id: string): string {
    if (!/^[\w-]+$/.test(id)) throw new AppError('bad_request', `invalid snapshot id "${id}"`);
    return path.join(this.root, id);
  }

  /** Loads the active snapshot, or returns null when there is none. */
  async loadCurrent(setting: EmbedderSetting): Promise<IndexSnapshot | null> {
    const id = await this.currentId();
    return id === null ? null : IndexSnapshot.readFrom(this.dirOf(id), setting);
  }

  /** Manifest of the active snapshot, or null; an older format is accepted, so a rebuild can read its sources. */
  async currentManifest(): Promise<SnapshotManifest | null> {
    const id = await this.currentId();
    return id === null ? null : readManifest(this.dirOf(id), true);
  }

  /** Writes a built snapshot durably and makes it the active one; prunes old snapshots. */
  async publish(snapshot: IndexSnapshot): Promise<string> {
    const id = snapshot.manifest.id;
    await mkdir(this.root, { recursive: true });
    const tmp = path.join(this.root, TMP_PREFIX + id);
    await rm(tmp, { recursive: true, force: true });
    await snapshot.writeTo(tmp);
    await fsyncTree(tmp);
    await rename(tmp, this.dirOf(id));
    await fsyncPath(this.root);
    await this.point(id);
    await this.prune();
    return id;
  }

  /** Makes an existing, valid snapshot the active one (rollback). */
  async activate(id: string): Promise<void> {
    const dir = this.dirOf(id);
    try {
      await readManifest(dir);
    } catch (err) {
      throw new AppError('not_found', `snapshot ${id} does not exist or is damaged`, { cause: err });
    }
    await this.point(id);
  }

  /** Published snapshots, newest first. */
  async list(): Promise<SnapshotSummary[]> {
    const current = await this.currentId();
    const out: SnapshotSummary[] = [];
    for (const id of await this.ids()) {
      try {
        const m = await readManifest(this.dirOf(id));
        out.push({
          id,
          createdAt: m.createdAt,
          active: id === current,
          counts: m.counts,
          embedder: m.embedder,
        });
      } catch {
        // A folder without a readable manifest is not a snapshot (e.g. a half-deleted one).
      }
    }
    return out;
  }

  /**
   * Takes the data folder's write lock for `holder`, or throws AppError('conflict') naming the
   * process that holds it (with its re-index job id as `source` when it is one). Server workers
   * (WORKERS > 1), `npm run reindex` and `npm run ingest` each build and publish snapshots; the
   * lock file (created exclusively, so two processes cannot both take it) lets one at a time do
   * so. A lock whose process has ended, or whose process id now belongs to a process started
   * after it (ids are reused after a reboot), is taken over. Returns the release function.
   */
  lock(holder: string, jobId?: string): () => void {
    const file = path.join(this.dataDir, LOCK);
    mkdirSync(this.dataDir, { recursive: true });
    const mine: LockHolder = {
      pid: process.pid,
      holder,
      since: new Date().toISOString(),
      ...(jobId ? { jobId } : {}),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        try {
          writeSync(fd, JSON.stringify(mine));
        } finally {
          closeSync(fd);
        }
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const other = this.lockHolder();
        let age: number;
        try {
          age = Date.now() - statSync(file).mtimeMs;
        } catch (e) {
          if (isNotFound(e)) continue; // released meanwhile
          throw e;
        }
        // A lock file without a holder yet is one another process is writing this instant.
        if ((other ? holds(other, file) : age < 10_000) || attempt >= 3) {
          throw new AppError(
            'conflict',
            other
              ? `a re-index is already running (${other.holder}, process ${other.pid}, since ${other.since})`
              : 'a re-index is starting in another process',
            other?.jobId ? { source: other.jobId } : {},
          );
        }
        this.takeOver(file, other);
      }
    }
    heldLocks.add(file);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      heldLocks.delete(file);
      if (this.lockHolder()?.pid === process.pid) rmSync(file, { force: true });
    };
  }

  /**
   * Removes a stale lock file, one process at a time (a second file, created exclusively, says who
   * takes it over), and only if it is still the stale one read before: otherwise two processes
   * taking over the same stale lock could remove each other's fresh one.
   */
  private takeOver(file: string, stale: LockHolder | null): void {
    const guard = `${file}.takeover`;
    try {
      closeSync(openSync(guard, 'wx'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another process is taking it over; a guard left by a crash is stale after 10 s.
      try {
        if (Date.now() - statSync(guard).mtimeMs > 10_000) rmSync(guard, { force: true });
      } catch {
        // gone meanwhile
      }
      return;
    }
    try {
      const now = this.lockHolder();
      if (now?.pid === stale?.pid && now?.since === stale?.since) rmSync(file, { force: true });
    } finally {
      rmSync(guard, { force: true });
    }
  }

  /** The holder of the write lock, or null when it is free (an unreadable lock file counts as stale). */
  lockHolder(): LockHolder | null {
    try {
      const held = JSON.parse(readFileSync(path.join(this.dataDir, LOCK), 'utf8')) as LockHolder;
      return Number.isInteger(held.pid) ? held : null;
    } catch {
      return null;
    }
  }

  /** Removes folders left by interrupted publishes; only while holding the write lock. */
  async removeLeftovers(): Promise<number> {
    let removed = 0;
    for (const name of await safeReaddir(this.root)) {
      if (name.startsWith(TMP_PREFIX)) {
        await rm(path.join(this.root, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  private async ids(): Promise<string[]> {
    return (await safeReaddir(this.root))
      .filter((n) => !n.startsWith('.'))
      .sort()
      .reverse();
  }

  private async point(id: string): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await writeFileDurably(
      path.join(this.dataDir, POINTER),
      `${id}\n`,
      path.join(this.dataDir, `${POINTER}.tmp`),
    );
  }

  private async prune(): Promise<void> {
    const current = await this.currentId();
    const ids = await this.ids();
    for (const id of ids.slice(this.keep)) {
      if (id !== current) await rm(this.dirOf(id), { recursive: true, force: true });
    }
  }
}

async function safeReaddir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}
