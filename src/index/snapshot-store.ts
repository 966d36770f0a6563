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

  /** Removes folders left by interrupted publishes. */
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
