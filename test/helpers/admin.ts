import type { AdminDeps } from '../../src/admin/api.js';
import { LiveIndex, ReindexJobs } from '../../src/admin/jobs.js';
import { DocumentLibrary } from '../../src/admin/library.js';
import { createLogger } from '../../src/channels/http/logger.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import type { SqliteStore } from '../../src/store/sqlite-store.js';

/**
 * Admin API dependencies over an empty DATA_DIR (no corpus, no snapshot), with `store` for
 * accounts, sessions, audit and reports; `extra` adds the token, sessions or single sign-on.
 */
export function emptyAdminDeps(
  dataDir: string,
  store: SqliteStore,
  extra: Partial<AdminDeps> = {},
): AdminDeps {
  const live = new LiveIndex();
  const snapshots = new SnapshotStore(dataDir);
  const library = new DocumentLibrary(dataDir);
  const jobs = new ReindexJobs({
    store: snapshots,
    library,
    live,
    setting: { kind: 'lsa' },
    corpusDir: dataDir,
  });
  return { library, jobs, live, snapshots, store, logger: createLogger({ level: 'silent' }), ...extra };
}
