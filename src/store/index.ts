import path from 'node:path';
import { SqliteStore } from './sqlite-store.js';

export { SqliteStore, MESSAGE_CHARS, COMMENT_CHARS, type SqliteStoreOptions } from './sqlite-store.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
export {
  AccountStore,
  ROLES,
  type AccountRow,
  type LoginFailures,
  type Role,
  type SessionRow,
  type SessionWithAccount,
} from './accounts.js';

/** File name of the embedded database inside DATA_DIR. */
export const DATABASE_FILE = 'assistant.db';

/** Opens the default store, `<dataDir>/assistant.db`, creating the folder and schema as needed. */
export async function openStore(dataDir: string): Promise<SqliteStore> {
  return SqliteStore.open(path.join(dataDir, DATABASE_FILE));
}
