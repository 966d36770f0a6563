import type { Database } from 'better-sqlite3';
import BetterSqlite3 from 'better-sqlite3';
import { AppError } from '../errors.js';

/** What an officer may do: administrator (everything), editor (documents), reader (reports, the document list). */
export type Role = 'administrator' | 'editor' | 'reader';
export const ROLES: readonly Role[] = ['administrator', 'editor', 'reader'];

/** A named officer account. The password hash is self-describing (`scrypt$N$r$p$salt$hash`). */
export interface AccountRow {
  username: string;
  role: Role;
  passwordHash: string | null;
  disabled: boolean;
  /** ISO 8601 UTC. */
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
}

/** A signed-in browser: the session id is kept only as its SHA-256, so a copy of the database opens no session. */
export interface SessionRow {
  idHash: string;
  username: string;
  createdAt: string;
  lastSeenAt: string;
  /** Absolute end of the session, whatever the activity. */
  expiresAt: string;
  ip: string | null;
}

/** A session with its account's current role and state (a disabled account's sessions stop at once). */
export interface SessionWithAccount extends SessionRow {
  role: Role;
  disabled: boolean;
}

/** Failed sign-ins of one username from one address. */
export interface LoginFailures {
  failures: number;
  lockedUntil: string | null;
}

interface RawAccount {
  username: string;
  role: Role;
  password_hash: string | null;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

interface RawSession {
  id_hash: string;
  username: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  role: Role;
  disabled: number;
}

const toAccount = (r: RawAccount): AccountRow => ({
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastLoginAt: r.last_login_at,
});

/**
 * Officer accounts, sessions and sign-in failures in the assistant's SQLite database. Methods return
 * promises, like AssistantStore, so that a shared database can take its place; policies (expiry,
 * throttling) live in src/admin, which passes the times in.
 */
export class AccountStore {
  private readonly sql;

  constructor(db: Database) {
    this.sql = {
      create: db.prepare<[string, Role, string | null, string, string]>(
        'INSERT INTO admin_accounts (username, role, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)',
      ),
      get: db.prepare<[string], RawAccount>('SELECT * FROM admin_accounts WHERE username = ?'),
      list: db.prepare<[], RawAccount>('SELECT * FROM admin_accounts ORDER BY username'),
      count: db.prepare<[], number>('SELECT COUNT(*) FROM admin_accounts').pluck(),
      update: db.prepare<{
        username: string;
        role: Role | null;
        hash: string | null;
        disabled: number | null;
        lastLogin: string | null;
        now: string;
      }>(
        `UPDATE admin_accounts SET role = COALESCE(@role, role), password_hash = COALESCE(@hash, password_hash),
           disabled = COALESCE(@disabled, disabled), last_login_at = COALESCE(@lastLogin, last_login_at), updated_at = @now
         WHERE username = @username`,
      ),
      createSession: db.prepare<[string, string, string, string, string, string | null]>(
        'INSERT INTO admin_sessions (id_hash, username, created_at, last_seen_at, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getSession: db.prepare<[string], RawSession>(
        `SELECT s.*, a.role, a.disabled FROM admin_sessions s JOIN admin_accounts a ON a.username = s.username WHERE s.id_hash = ?`,
      ),
      touchSession: db.prepare<[string, string]>(
        'UPDATE admin_sessions SET last_seen_at = ? WHERE id_hash = ?',
      ),
      deleteSession: db.prepare<[string]>('DELETE FROM admin_sessions WHERE id_hash = ?'),
      deleteSessionsOf: db.prepare<[string]>('DELETE FROM admin_sessions WHERE username = ?'),
      deleteExpired: db.prepare<[idleBefore: string, now: string]>(
        'DELETE FROM admin_sessions WHERE last_seen_at < ? OR expires_at <= ?',
      ),
      getFailures: db.prepare<[string], { failures: number; locked_until: string | null }>(
        'SELECT failures, locked_until FROM admin_login_failures WHERE key = ?',
      ),
      // One statement, so two processes counting the same attempts cannot lose one. A count older
      // than the window, or a lock that has run out, starts again from this failure.
      recordFailure: db.prepare<
        { key: string; now: string; windowStart: string; max: number; lockUntil: string },
        { failures: number; locked_until: string | null }
      >(
        `INSERT INTO admin_login_failures (key, failures, first_failed_at, locked_until)
           VALUES (@key, 1, @now, CASE WHEN @max <= 1 THEN @lockUntil END)
         ON CONFLICT(key) DO UPDATE SET
           failures = CASE WHEN first_failed_at < @windowStart OR locked_until <= @now THEN 1 ELSE failures + 1 END,
           first_failed_at = CASE WHEN first_failed_at < @windowStart OR locked_until <= @now THEN @now ELSE first_failed_at END,
           locked_until = CASE WHEN (CASE WHEN first_failed_at < @windowStart OR locked_until <= @now THEN 1 ELSE failures + 1 END) >= @max
             THEN @lockUntil END
         RETURNING failures, locked_until`,
      ),
      clearFailures: db.prepare<[string]>('DELETE FROM admin_login_failures WHERE key = ?'),
      pruneFailures: db.prepare<[before: string, now: string]>(
        'DELETE FROM admin_login_failures WHERE first_failed_at < ? AND (locked_until IS NULL OR locked_until <= ?)',
      ),
    };
  }

  /** Adds an account; `conflict` when the username is taken. */
  async createAccount(a: {
    username: string;
    role: Role;
    passwordHash: string | null;
    now: string;
  }): Promise<void> {
    try {
      this.sql.create.run(a.username, a.role, a.passwordHash, a.now, a.now);
    } catch (err: unknown) {
      if (err instanceof BetterSqlite3.SqliteError && err.code.startsWith('SQLITE_CONSTRAINT')) {
        throw new AppError('conflict', `account ${a.username} already exists`, { cause: err });
      }
      throw err;
    }
  }

  async getAccount(username: string): Promise<AccountRow | null> {
    const r = this.sql.get.get(username);
    return r ? toAccount(r) : null;
  }

  async listAccounts(): Promise<AccountRow[]> {
    return this.sql.list.all().map(toAccount);
  }

  async countAccounts(): Promise<number> {
    return this.sql.count.get() ?? 0;
  }

  /** Changes what is given; false when there is no such account. */
  async updateAccount(
    username: string,
    patch: { role?: Role; passwordHash?: string; disabled?: boolean; lastLoginAt?: string },
    now: string,
  ): Promise<boolean> {
    return (
      this.sql.update.run({
        username,
        role: patch.role ?? null,
        hash: patch.passwordHash ?? null,
        disabled: patch.disabled === undefined ? null : Number(patch.disabled),
        lastLogin: patch.lastLoginAt ?? null,
        now,
      }).changes === 1
    );
  }

  async createSession(s: SessionRow): Promise<void> {
    this.sql.createSession.run(s.idHash, s.username, s.createdAt, s.lastSeenAt, s.expiresAt, s.ip);
  }

  async getSession(idHash: string): Promise<SessionWithAccount | null> {
    const r = this.sql.getSession.get(idHash);
    if (!r) return null;
    return {
      idHash: r.id_hash,
      username: r.username,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
      expiresAt: r.expires_at,
      ip: r.ip,
      role: r.role,
      disabled: r.disabled === 1,
    };
  }

  async touchSession(idHash: string, lastSeenAt: string): Promise<void> {
    this.sql.touchSession.run(lastSeenAt, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.sql.deleteSession.run(idHash);
  }

  /** Ends every session of an account (disabled, password reset); returns how many. */
  async deleteSessionsOf(username: string): Promise<number> {
    return this.sql.deleteSessionsOf.run(username).changes;
  }

  /** Forgets sessions idle since before `idleBefore` or past their absolute end; returns how many. */
  async deleteExpiredSessions(idleBefore: string, now: string): Promise<number> {
    return this.sql.deleteExpired.run(idleBefore, now).changes;
  }

  async loginFailures(key: string): Promise<LoginFailures | null> {
    const r = this.sql.getFailures.get(key);
    return r ? { failures: r.failures, lockedUntil: r.locked_until } : null;
  }

  /** Counts one failed sign-in; at `max` failures within the window the key is locked until `lockUntil`. */
  async recordLoginFailure(q: {
    key: string;
    now: string;
    windowStart: string;
    max: number;
    lockUntil: string;
  }): Promise<LoginFailures> {
    const r = this.sql.recordFailure.get(q)!;
    return { failures: r.failures, lockedUntil: r.locked_until };
  }

  async clearLoginFailures(key: string): Promise<void> {
    this.sql.clearFailures.run(key);
  }

  /** Forgets failure counts started before `before` that hold no running lock; returns how many. */
  async pruneLoginFailures(before: string, now: string): Promise<number> {
    return this.sql.pruneFailures.run(before, now).changes;
  }
}
