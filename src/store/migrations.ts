import type { Database } from 'better-sqlite3';
import { AppError } from '../errors.js';

/** One schema step. Never edit a released migration; add the next one. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction with the version record. */
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [
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
  {
    version: 3,
    name: 'webhook event times as ISO strings like every other timestamp',
    up: `
      CREATE TABLE seen_events_v3 (
        source TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (source, event_id)
      ) WITHOUT ROWID;
      INSERT INTO seen_events_v3 (source, event_id, seen_at)
        SELECT source, event_id, strftime('%Y-%m-%dT%H:%M:%fZ', seen_at / 1000.0, 'unixepoch') FROM seen_events;
      DROP TABLE seen_events;
      ALTER TABLE seen_events_v3 RENAME TO seen_events;
      CREATE INDEX seen_events_by_time ON seen_events (seen_at);
    `,
  },
  {
    version: 4,
    name: 'officer accounts, admin sessions, login throttling, archived gap counts',
    up: `
      CREATE TABLE admin_accounts (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('administrator', 'editor', 'reader')),
        password_hash TEXT,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_login_at TEXT
      ) WITHOUT ROWID;
      CREATE TABLE admin_sessions (
        id_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL REFERENCES admin_accounts(username) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        ip TEXT
      ) WITHOUT ROWID;
      CREATE INDEX admin_sessions_by_user ON admin_sessions (username);
      CREATE TABLE admin_login_failures (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        first_failed_at TEXT NOT NULL,
        locked_until TEXT
      ) WITHOUT ROWID;
      CREATE TABLE gap_archive (
        normalized TEXT NOT NULL,
        channel TEXT NOT NULL,
        example TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_asked_at TEXT NOT NULL,
        last_asked_at TEXT NOT NULL,
        PRIMARY KEY (normalized, channel)
      ) WITHOUT ROWID;
      CREATE INDEX messages_by_time ON messages (created_at);
      CREATE INDEX conversations_by_time ON conversations (updated_at);
      CREATE INDEX unanswered_by_time ON unanswered (created_at);
    `,
  },
];

/** Applies the migrations the database lacks, each in its own transaction; refuses a newer schema. Returns how many ran. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  assertOrdered(migrations);
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const currentVersion = db
    .prepare<[], number>('SELECT COALESCE(MAX(version), 0) FROM schema_migrations')
    .pluck();
  const latest = migrations.at(-1)?.version ?? 0;
  const current = currentVersion.get() ?? 0;
  if (current > latest) {
    throw new AppError(
      'config_invalid',
      `the database schema is version ${current}, newer than this program knows (${latest}); upgrade the program or use another DATA_DIR`,
      { source: db.name },
    );
  }
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  let applied = 0;
  for (const m of migrations) {
    // IMMEDIATE takes the write lock before re-reading the version, so two processes opening the
    // same file at once cannot both apply a step.
    const ran = db
      .transaction(() => {
        if ((currentVersion.get() ?? 0) >= m.version) return false;
        db.exec(m.up);
        record.run(m.version, m.name, new Date().toISOString());
        return true;
      })
      .immediate();
    if (ran) applied++;
  }
  return applied;
}

/** A mis-ordered list would skip steps on some databases; fail loudly instead. */
function assertOrdered(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new AppError(
        'config_invalid',
        `migration "${m.name}" has version ${m.version}; versions must be increasing integers`,
      );
    }
    previous = m.version;
  }
}
