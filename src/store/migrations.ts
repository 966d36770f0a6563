import type { Database } from 'better-sqlite3';
import { AppError } from '../errors.js';

/** One schema step. Never edit a released migration; add the next one. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'conversations, messages, feedback, unanswered questions',
    up: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        user_ref TEXT,
        state TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        text TEXT NOT NULL,
        channel TEXT NOT NULL,
        citations TEXT,
        grounded INTEGER,
        outcome TEXT,
        confidence REAL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
      CREATE TABLE feedback (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        message_id TEXT REFERENCES messages(id) ON DELETE CASCADE,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        created_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX feedback_one_per_message ON feedback (message_id) WHERE message_id IS NOT NULL;
      CREATE INDEX feedback_by_time ON feedback (created_at);
      CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        message_id TEXT,
        question TEXT NOT NULL,
        normalized TEXT NOT NULL,
        channel TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX unanswered_by_key ON unanswered (normalized, created_at);
    `,
  },
  {
    version: 2,
    name: 'webhook events, settings, audit log',
    up: `
      CREATE TABLE seen_events (
        source TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seen_at INTEGER NOT NULL,
        PRIMARY KEY (source, event_id)
      );
      CREATE INDEX seen_events_by_time ON seen_events (seen_at);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
        detail TEXT
      );
    `,
  },
];

/** Applies the migrations the database lacks, each in its own transaction; refuses a newer schema. */
export function migrate(db: Database, migrations: Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new AppError(
      'config_invalid',
      `the database schema is version ${current}, newer than this program knows (${latest}); upgrade the program or use another DATA_DIR`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  let applied = 0;
  for (const m of migrations.filter((x) => x.version > current)) {
    db.transaction(() => {
      db.exec(m.up);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied++;
  }
  return applied;
}
