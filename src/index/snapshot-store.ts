import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';
import { fsyncPath, fsyncTree, isNotFound, writeFileDurably } from '../lib/files.js';
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
  /** What runs: a job id, "npm run ingest", the first build. */
  holder: string;
  since: string;
}

/** True while a process with this id exists (EPERM: it exists under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
   * process that holds it. Server workers (WORKERS > 1), `npm run reindex` and `npm run ingest`
   * each build and publish snapshots; the lock file (created exclusively, so two processes cannot
   * both take it) lets one at a time do so. A lock left by a process that no longer runs is taken
   * over. Returns the release function.
   */
  lock(holder: string): () => void {
    const file = path.join(this.dataDir, LOCK);
    mkdirSync(this.dataDir, { recursive: true });
    const mine: LockHolder = { pid: process.pid, holder, since: new Date().toISOString() };
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
        // A lock file without a holder yet is one another process is writing this instant; after
        // three rounds of taking over stale locks, another process is doing the same: let it win.
        if ((other ? alive(other.pid) : age < 10_000) || attempt >= 3) {
          throw new AppError(
            'conflict',
            other
              ? `a re-index is already running (${other.holder}, process ${other.pid}, since ${other.since})`
              : 'a re-index is starting in another process',
            { source: other?.holder ?? 'unknown' },
          );
        }
        // Left by a process that ended without releasing it (killed, power cut): take it over,
        // unless another process took it over since it was read.
        const now = this.lockHolder();
        if (now?.pid === other?.pid && now?.since === other?.since) rmSync(file, { force: true });
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.lockHolder()?.pid === process.pid) rmSync(file, { force: true });
    };
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
