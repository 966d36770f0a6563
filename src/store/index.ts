import path from 'node:path';
import { SqliteStore } from './sqlite-store.js';
import type { AssistantStore } from './types.js';

export { SqliteStore } from './sqlite-store.js';
export { migrate, MIGRATIONS, type Migration } from './migrations.js';
export type * from './types.js';

/** Opens the default store: `<dataDir>/assistant.db`. */
export async function openStore(dataDir: string): Promise<AssistantStore> {
  return SqliteStore.open(path.join(dataDir, 'assistant.db'));
}
