import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { AppError, describeError } from '../errors.js';
import { SnapshotStore } from '../index/snapshot-store.js';
import { DATABASE_FILE } from '../store/index.js';

/** What one backup holds: each part with its size in bytes, and the check of the copied database. */
export interface BackupReport {
  dir: string;
  parts: { name: string; bytes: number }[];
  totalBytes: number;
  database: { schemaVersion: number; integrity: string; rows: Record<string, number> } | null;
  snapshot: string | null;
}

/** Bytes under a file or folder. */
async function sizeOf(p: string): Promise<number> {
  const s = await stat(p);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const name of await readdir(p)) total += await sizeOf(path.join(p, name));
  return total;
}

/** `2025-03-04T05-06-07Z`: sortable, and legal in a Windows folder name. */
export function backupStamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d+Z$/u, 'Z')
    .replace(/:/gu, '-');
}

/** Opens the copy read-only and checks it: integrity, schema version, row counts of the main tables. */
function verifyDatabase(file: string): NonNullable<BackupReport['database']> {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('quick_check', { simple: true }));
    if (integrity !== 'ok')
      throw new AppError('internal', `the copied database fails its integrity check: ${integrity}`, {
        source: file,
      });
    const schemaVersion = Number(
      db.prepare('SELECT COALESCE(MAX(version), 0) FROM schema_migrations').pluck().get(),
    );
    const rows: Record<string, number> = {};
    for (const t of ['conversations', 'messages', 'feedback', 'unanswered', 'audit_log', 'admin_accounts']) {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
      if (exists) rows[t] = Number(db.prepare(`SELECT COUNT(*) FROM "${t}"`).pluck().get());
    }
    return { schemaVersion, integrity, rows };
  } finally {
    db.close();
  }
}

/**
 * Backs up DATA_DIR into `<outDir>/tlcv-backup-<time>/`: an online copy of the SQLite database
 * (SQLite's backup API, consistent while the server writes), the snapshot in service with its
 * CURRENT pointer, the uploaded files and library.json. Then opens the copied database to check it.
 * `copyDatabase` lets a process that holds the store open copy through its own connection.
 */
export async function backupDataDir(opts: {
  dataDir: string;
  outDir: string;
  now?: Date;
  copyDatabase?: (dest: string) => Promise<void>;
}): Promise<BackupReport> {
  const dir = path.join(opts.outDir, `tlcv-backup-${backupStamp(opts.now ?? new Date())}`);
  if (existsSync(dir)) throw new AppError('conflict', `${dir} already exists`, { source: dir });
  await mkdir(dir, { recursive: true });
  const parts: BackupReport['parts'] = [];

  let database: BackupReport['database'] = null;
  const dbFile = path.join(opts.dataDir, DATABASE_FILE);
  if (opts.copyDatabase || existsSync(dbFile)) {
    const dest = path.join(dir, DATABASE_FILE);
    try {
      if (opts.copyDatabase) await opts.copyDatabase(dest);
      else {
        const db = new BetterSqlite3(dbFile, { readonly: true, fileMustExist: true });
        try {
          await db.backup(dest);
        } finally {
          db.close();
        }
      }
    } catch (err) {
      throw new AppError('internal', `cannot copy the database ${dbFile}: ${describeError(err)}`, {
        cause: err,
        source: dbFile,
      });
    }
    database = verifyDatabase(dest);
    parts.push({ name: DATABASE_FILE, bytes: await sizeOf(dest) });
  }

  const snapshots = new SnapshotStore(opts.dataDir);
  const snapshot = await snapshots.currentId();
  if (snapshot) {
    const dest = path.join(dir, 'snapshots', snapshot);
    await cp(snapshots.dirOf(snapshot), dest, { recursive: true });
    await writeFile(path.join(dir, 'CURRENT'), `${snapshot}\n`);
    parts.push({ name: `snapshots/${snapshot}`, bytes: await sizeOf(dest) });
  }
  for (const name of ['uploads', 'library.json']) {
    const from = path.join(opts.dataDir, name);
    if (!existsSync(from)) continue;
    await cp(from, path.join(dir, name), { recursive: true });
    parts.push({ name, bytes: await sizeOf(path.join(dir, name)) });
  }
  return { dir, parts, totalBytes: parts.reduce((n, p) => n + p.bytes, 0), database, snapshot };
}
