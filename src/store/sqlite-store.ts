import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import type {
  AssistantStore,
  AuditRow,
  ConversationRow,
  FeedbackRow,
  GapRow,
  MessageRow,
  NewAudit,
  NewConversation,
  NewFeedback,
  NewMessage,
  NewTurn,
  NewUnanswered,
  Page,
  PurgeCounts,
  Rating,
} from '../answer/store.js';
import { AppError, describeError } from '../errors.js';
import { timeOrderedId } from '../lib/ids.js';
import { AccountStore } from './accounts.js';
import { migrate } from './migrations.js';
import { preparePurge } from './retention.js';
import {
  prepareStatements,
  toAudit,
  toConversation,
  toFeedback,
  toGap,
  toMessage,
  type Statements,
} from './statements.js';

/** Characters kept of a message (and an unanswered question) and of a comment or audit detail; longer text is truncated, not refused. */
export const MESSAGE_CHARS = 10_000;
export const COMMENT_CHARS = 2_000;

/** How long a writer waits for another process's write lock before failing, in milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteStoreOptions {
  /** Clock for timestamps; tests pass a fixed one. Defaults to the system clock. */
  now?: () => Date;
}

/** Truncates to `max` UTF-16 units without leaving half a surrogate pair (an emoji) at the end. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A limit from a caller, bounded so a typo cannot read a whole table (SQLite treats a negative LIMIT as none). */
function bounded(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(Math.max(Math.trunc(value), 0), max);
}

function page(q: Page): [limit: number, offset: number] {
  return [bounded(q.limit, 100, 1_000), bounded(q.offset, 0, Number.MAX_SAFE_INTEGER)];
}

function isForeignKeyError(err: unknown): boolean {
  return err instanceof BetterSqlite3.SqliteError && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

function noConversation(id: string): AppError {
  return new AppError('not_found', `conversation ${id} does not exist`);
}

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Opens the file with the pragmas every connection needs, then brings the schema up to date. */
function openDatabase(file: string): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // WAL lets readers run while a writer commits; NORMAL sync is durable across process crashes in WAL mode.
    db.pragma('journal_mode = WAL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return db;
  } catch (err: unknown) {
    db.close();
    throw err;
  }
}

/** The embedded store: one SQLite file under DATA_DIR, WAL mode, migrations applied on open. */
export class SqliteStore implements AssistantStore {
  private readonly sql: Statements;
  /** Writes waiting for the next group commit, in the order they were asked for. */
  private pending: PendingWrite[] = [];
  /** State of conversations whose turn is waiting for that commit, so their next turn reads it. */
  private readonly pendingStates = new Map<string, string>();
  private readonly commitBatch: (ops: PendingWrite[]) => Settled[];
  private readonly purge: (before: string) => PurgeCounts;
  /** Officer accounts, sessions and sign-in failures, in the same database. */
  readonly accounts: AccountStore;

  private constructor(
    private readonly db: Database,
    private readonly clock: () => Date,
  ) {
    this.sql = prepareStatements(db);
    this.purge = preparePurge(db);
    this.accounts = new AccountStore(db);
    // Each write runs in its own savepoint (a nested transaction), so one failing write is rolled
    // back alone and the others of the batch still commit.
    const savepoint = db.transaction((run: () => unknown) => run());
    this.commitBatch = db.transaction((ops: PendingWrite[]) =>
      ops.map((op): Settled => {
        try {
          return { ok: true, value: savepoint(op.run) };
        } catch (err: unknown) {
          return { ok: false, error: err };
        }
      }),
    );
  }

  /**
   * Group commit: writes are queued, and every write queued during the same pass of the event loop
   * commits in one transaction (one WAL append instead of one per write). The promise settles
   * after that commit, so callers see the same durability as with a transaction each.
   */
  private batched<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const ops = this.pending;
    if (ops.length === 0) return;
    this.pending = [];
    let settled: Settled[];
    try {
      if (!this.db.open) throw new AppError('internal', 'the database is closed');
      settled = this.commitBatch(ops);
    } catch (err: unknown) {
      for (const op of ops) op.reject(err);
      return;
    }
    settled.forEach((s, i) => (s.ok ? ops[i]!.resolve(s.value) : ops[i]!.reject(s.error)));
  }

  /** Opens (creating the folder and schema as needed) a database file, or ':memory:'; `config_invalid` when it cannot. */
  static open(file: string, options: SqliteStoreOptions = {}): SqliteStore {
    try {
      return new SqliteStore(openDatabase(file), options.now ?? (() => new Date()));
    } catch (err: unknown) {
      if (err instanceof AppError) throw err;
      throw new AppError('config_invalid', `cannot open the database ${file}: ${describeError(err)}`, {
        cause: err,
        source: file,
      });
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async ensureConversation(c: NewConversation): Promise<void> {
    this.ensureConversationNow(c);
  }

  async getConversation(id: string): Promise<ConversationRow | null> {
    return this.getConversationNow(id);
  }

  async saveState(id: string, stateJson: string): Promise<void> {
    this.saveStateNow(id, stateJson);
  }

  async addMessage(m: NewMessage): Promise<{ id: string; createdAt: string }> {
    return this.addMessageNow(m);
  }

  async turnState(conversationId: string): Promise<string | null> {
    return this.pendingStates.get(conversationId) ?? this.getConversationNow(conversationId)?.state ?? null;
  }

  recordTurn(turn: NewTurn): Promise<{ questionId: string; answerId: string | null }> {
    const id = turn.conversation.id;
    if (turn.stateJson !== undefined) this.pendingStates.set(id, turn.stateJson);
    const settle = () => {
      if (turn.stateJson !== undefined && this.pendingStates.get(id) === turn.stateJson)
        this.pendingStates.delete(id);
    };
    const written = this.batched(() => {
      this.ensureConversationNow(turn.conversation);
      const question = this.addMessageNow({ ...turn.question, conversationId: id, role: 'user' });
      const answer = turn.answer
        ? this.addMessageNow({ ...turn.answer, conversationId: id, role: 'assistant' })
        : null;
      if (turn.unanswered)
        this.addUnansweredNow({ ...turn.unanswered, conversationId: id, messageId: question.id });
      if (turn.stateJson !== undefined) this.saveStateNow(id, turn.stateJson);
      return { questionId: question.id, answerId: answer?.id ?? null };
    });
    written.then(settle, settle);
    return written;
  }

  private ensureConversationNow(c: NewConversation): void {
    const t = this.now();
    this.sql.ensureConversation.run(c.id, c.channel, c.userRef ?? null, t, t);
  }

  private getConversationNow(id: string): ConversationRow | null {
    const r = this.sql.getConversation.get(id);
    return r ? toConversation(r) : null;
  }

  private saveStateNow(id: string, stateJson: string): void {
    if (this.sql.saveState.run(stateJson, this.now(), id).changes === 0) throw noConversation(id);
  }

  private addMessageNow(m: NewMessage): { id: string; createdAt: string } {
    const id = timeOrderedId();
    const createdAt = this.now();
    try {
      this.sql.addMessage.run({
        id,
        conversationId: m.conversationId,
        role: m.role,
        text: cap(m.text, MESSAGE_CHARS),
        channel: m.channel,
        citations: m.citations && m.citations.length > 0 ? JSON.stringify(m.citations) : null,
        grounded: m.grounded === undefined ? null : Number(m.grounded),
        outcome: m.outcome ?? null,
        confidence: m.confidence ?? null,
        createdAt,
      });
    } catch (err: unknown) {
      if (isForeignKeyError(err)) throw noConversation(m.conversationId);
      throw err;
    }
    return { id, createdAt };
  }

  async listMessages(conversationId: string, limit?: number): Promise<MessageRow[]> {
    return this.sql.listMessages.all(conversationId, bounded(limit, 50, 1_000)).map(toMessage);
  }

  async getMessage(id: string): Promise<MessageRow | null> {
    const r = this.sql.getMessage.get(id);
    return r ? toMessage(r) : null;
  }

  async addFeedback(f: NewFeedback): Promise<void> {
    const comment = f.comment === undefined ? null : cap(f.comment, COMMENT_CHARS);
    // Check and write in one transaction so the message cannot vanish in between.
    this.db.transaction(() => {
      if (
        f.messageId !== undefined &&
        this.sql.getMessage.get(f.messageId)?.conversation_id !== f.conversationId
      ) {
        throw new AppError(
          'not_found',
          `message ${f.messageId} does not exist in conversation ${f.conversationId}`,
        );
      }
      try {
        this.sql.upsertFeedback.run(
          randomUUID(),
          f.conversationId,
          f.messageId ?? null,
          f.rating,
          comment,
          this.now(),
        );
      } catch (err: unknown) {
        if (isForeignKeyError(err)) throw noConversation(f.conversationId);
        throw err;
      }
    })();
  }

  async listFeedback(q: Page & { rating?: Rating } = {}): Promise<FeedbackRow[]> {
    const [limit, offset] = page(q);
    return this.sql.listFeedback.all({ rating: q.rating ?? null, limit, offset }).map(toFeedback);
  }

  async addUnanswered(u: NewUnanswered): Promise<void> {
    this.addUnansweredNow(u);
  }

  private addUnansweredNow(u: NewUnanswered): void {
    const question = cap(u.question, MESSAGE_CHARS);
    this.sql.addUnanswered.run(
      u.conversationId,
      u.messageId ?? null,
      question,
      cap(u.normalized, MESSAGE_CHARS),
      u.channel,
      this.now(),
    );
  }

  async gapReport(q: { limit?: number; since?: string } = {}): Promise<GapRow[]> {
    return this.sql.gapReport.all({ since: q.since ?? '', limit: bounded(q.limit, 50, 1_000) }).map(toGap);
  }

  async markEventSeen(source: string, eventId: string): Promise<boolean> {
    return this.sql.markEventSeen.run(source, eventId, this.now()).changes === 1;
  }

  async pruneEvents(olderThanMs: number): Promise<number> {
    if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
      throw new AppError(
        'bad_request',
        `pruneEvents needs a non-negative age in milliseconds, got ${olderThanMs}`,
      );
    }
    const before = new Date(this.clock().getTime() - olderThanMs).toISOString();
    return this.sql.pruneEvents.run(before).changes;
  }

  async getSetting(key: string): Promise<string | null> {
    return this.sql.getSetting.get(key) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.sql.setSetting.run(key, value, this.now());
  }

  async compareAndSetSetting(key: string, expected: string | null, value: string): Promise<boolean> {
    const result =
      expected === null
        ? this.sql.casCreate.run(key, value, this.now())
        : this.sql.casReplace.run(value, this.now(), key, expected);
    return result.changes === 1;
  }

  async addAudit(a: NewAudit): Promise<void> {
    const detail = a.detail === undefined ? null : cap(a.detail, COMMENT_CHARS);
    this.sql.addAudit.run(this.now(), a.actor, a.action, a.target ?? null, a.result, detail);
  }

  async listAudit(q: Page = {}): Promise<AuditRow[]> {
    return this.sql.listAudit.all(...page(q)).map(toAudit);
  }

  async purgeBefore(before: string): Promise<PurgeCounts> {
    if (Number.isNaN(Date.parse(before)))
      throw new AppError('bad_request', `purgeBefore needs an ISO time, got ${before}`);
    // Turns waiting for the group commit go in first, so the cut-off sees them.
    this.flush();
    return this.purge(before);
  }

  /** Online copy of the database to `file` (SQLite's backup API: consistent while the server writes). */
  async backupTo(file: string): Promise<void> {
    this.flush();
    await this.db.backup(file);
  }

  async close(): Promise<void> {
    this.flush();
    if (this.db.open) this.db.close();
  }
}
