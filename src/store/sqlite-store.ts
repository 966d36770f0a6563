import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import type { Citation, Outcome } from '../answer/types.js';
import { AppError } from '../errors.js';
import { migrate } from './migrations.js';
import type { AssistantStore, AuditRow, ConversationRow, FeedbackRow, GapRow, MessageRow, NewMessage } from './types.js';

/** Characters kept of a message and of a feedback comment; longer text is truncated, not refused. */
const MESSAGE_CHARS = 10_000;
const COMMENT_CHARS = 2_000;

const now = () => new Date().toISOString();

interface RawMessage {
  id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  text: string;
  channel: string;
  citations: string | null;
  grounded: number | null;
  outcome: string | null;
  confidence: number | null;
  created_at: string;
}

function messageRow(r: RawMessage): MessageRow {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    role: r.role,
    text: r.text,
    channel: r.channel,
    citations: r.citations ? (JSON.parse(r.citations) as Citation[]) : [],
    grounded: r.grounded === null ? null : r.grounded === 1,
    outcome: r.outcome as Outcome | null,
    confidence: r.confidence,
    createdAt: r.created_at,
  };
}

/** The embedded store: one SQLite file under DATA_DIR, WAL mode, migrations applied on open. */
export class SqliteStore implements AssistantStore {
  private readonly stmts: Record<string, Statement>;

  private constructor(private readonly db: Database) {
    const p = (sql: string) => db.prepare(sql);
    this.stmts = {
      ensureConv: p(`INSERT INTO conversations (id, channel, user_ref, state, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)
                     ON CONFLICT(id) DO NOTHING`),
      getConv: p('SELECT * FROM conversations WHERE id = ?'),
      saveState: p('UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?'),
      addMsg: p(`INSERT INTO messages (id, conversation_id, seq, role, text, channel, citations, grounded, outcome, confidence, created_at)
                 VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`),
      listMsgs: p('SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC'),
      getMsg: p('SELECT * FROM messages WHERE id = ?'),
      upsertFeedback: p(`INSERT INTO feedback (id, conversation_id, message_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)
                         ON CONFLICT(message_id) WHERE message_id IS NOT NULL
                         DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at`),
      listFeedback: p(`SELECT f.*, a.text AS answer,
                         (SELECT u.text FROM messages u WHERE u.conversation_id = a.conversation_id AND u.role = 'user' AND u.seq < a.seq
                          ORDER BY u.seq DESC LIMIT 1) AS question
                       FROM feedback f LEFT JOIN messages a ON a.id = f.message_id
                       WHERE (? IS NULL OR f.rating = ?) ORDER BY f.created_at DESC, f.rowid DESC LIMIT ? OFFSET ?`),
      addUnanswered: p('INSERT INTO unanswered (conversation_id, message_id, question, normalized, channel, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      gap: p(`SELECT normalized, COUNT(*) AS count, MAX(created_at) AS last, GROUP_CONCAT(DISTINCT channel) AS channels,
                (SELECT question FROM unanswered u2 WHERE u2.normalized = u.normalized ORDER BY id DESC LIMIT 1) AS example
              FROM unanswered u WHERE created_at >= ? GROUP BY normalized ORDER BY count DESC, last DESC LIMIT ?`),
      seen: p('INSERT OR IGNORE INTO seen_events (source, event_id, seen_at) VALUES (?, ?, ?)'),
      prune: p('DELETE FROM seen_events WHERE seen_at < ?'),
      getSetting: p('SELECT value FROM settings WHERE key = ?'),
      setSetting: p(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      casUpdate: p('UPDATE settings SET value = ?, updated_at = ? WHERE key = ? AND value = ?'),
      casInsert: p('INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, ?)'),
      addAudit: p('INSERT INTO audit_log (at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?)'),
      listAudit: p('SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?'),
    };
  }

  /** Opens (creating folders and schema as needed) a database file, or ':memory:'. */
  static open(file: string): SqliteStore {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db);
    return new SqliteStore(db);
  }

  async ensureConversation(c: { id: string; channel: string; userRef?: string }): Promise<void> {
    const t = now();
    this.stmts.ensureConv!.run(c.id, c.channel, c.userRef ?? null, t, t);
  }

  async getConversation(id: string): Promise<ConversationRow | null> {
    const r = this.stmts.getConv!.get(id) as
      | { id: string; channel: string; user_ref: string | null; state: string | null; created_at: string; updated_at: string }
      | undefined;
    if (!r) return null;
    return { id: r.id, channel: r.channel, ...(r.user_ref ? { userRef: r.user_ref } : {}), state: r.state, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async saveState(id: string, stateJson: string): Promise<void> {
    this.stmts.saveState!.run(stateJson, now(), id);
  }

  async addMessage(m: NewMessage): Promise<{ id: string; createdAt: string }> {
    const id = randomUUID();
    const createdAt = now();
    this.stmts.addMsg!.run(
      id,
      m.conversationId,
      m.conversationId,
      m.role,
      m.text.slice(0, MESSAGE_CHARS),
      m.channel,
      m.citations ? JSON.stringify(m.citations) : null,
      m.grounded === undefined ? null : m.grounded ? 1 : 0,
      m.outcome ?? null,
      m.confidence ?? null,
      createdAt,
    );
    return { id, createdAt };
  }

  async listMessages(conversationId: string, limit = 50): Promise<MessageRow[]> {
    return (this.stmts.listMsgs!.all(conversationId, limit) as RawMessage[]).map(messageRow);
  }

  async getMessage(id: string): Promise<MessageRow | null> {
    const r = this.stmts.getMsg!.get(id) as RawMessage | undefined;
    return r ? messageRow(r) : null;
  }

  async addFeedback(f: { conversationId: string; messageId?: string; rating: 'up' | 'down'; comment?: string }): Promise<void> {
    if (f.messageId !== undefined) {
      const m = await this.getMessage(f.messageId);
      if (!m || m.conversationId !== f.conversationId) {
        throw new AppError('not_found', `message ${f.messageId} does not exist in conversation ${f.conversationId}`);
      }
    }
    this.stmts.upsertFeedback!.run(randomUUID(), f.conversationId, f.messageId ?? null, f.rating, f.comment?.slice(0, COMMENT_CHARS) ?? null, now());
  }

  async listFeedback(q: { rating?: 'up' | 'down'; limit?: number; offset?: number } = {}): Promise<FeedbackRow[]> {
    const rows = this.stmts.listFeedback!.all(q.rating ?? null, q.rating ?? null, q.limit ?? 100, q.offset ?? 0) as {
      id: string;
      conversation_id: string;
      message_id: string | null;
      rating: 'up' | 'down';
      comment: string | null;
      created_at: string;
      answer: string | null;
      question: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      conversationId: r.conversation_id,
      messageId: r.message_id,
      rating: r.rating,
      comment: r.comment,
      createdAt: r.created_at,
      answer: r.answer,
      question: r.question,
    }));
  }

  async addUnanswered(u: { conversationId: string; messageId?: string; question: string; channel: string; normalized: string }): Promise<void> {
    this.stmts.addUnanswered!.run(u.conversationId, u.messageId ?? null, u.question.slice(0, MESSAGE_CHARS), u.normalized.slice(0, MESSAGE_CHARS), u.channel, now());
  }

  async gapReport(q: { limit?: number; since?: string } = {}): Promise<GapRow[]> {
    const rows = this.stmts.gap!.all(q.since ?? '', q.limit ?? 50) as { normalized: string; count: number; last: string; channels: string; example: string }[];
    return rows.map((r) => ({ normalized: r.normalized, example: r.example, count: r.count, lastAskedAt: r.last, channels: r.channels.split(',') }));
  }

  async markEventSeen(source: string, eventId: string): Promise<boolean> {
    return this.stmts.seen!.run(source, eventId, Date.now()).changes === 1;
  }

  async pruneEvents(olderThanMs: number): Promise<number> {
    return this.stmts.prune!.run(Date.now() - olderThanMs).changes;
  }

  async getSetting(key: string): Promise<string | null> {
    return (this.stmts.getSetting!.get(key) as { value: string } | undefined)?.value ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.stmts.setSetting!.run(key, value, now());
  }

  async compareAndSetSetting(key: string, expected: string | null, value: string): Promise<boolean> {
    const r = expected === null ? this.stmts.casInsert!.run(key, value, now()) : this.stmts.casUpdate!.run(value, now(), key, expected);
    return r.changes === 1;
  }

  async addAudit(a: { actor: string; action: string; target?: string; result: 'ok' | 'error'; detail?: string }): Promise<void> {
    this.stmts.addAudit!.run(now(), a.actor, a.action, a.target ?? null, a.result, a.detail?.slice(0, COMMENT_CHARS) ?? null);
  }

  async listAudit(q: { limit?: number; offset?: number } = {}): Promise<AuditRow[]> {
    return this.stmts.listAudit!.all(q.limit ?? 100, q.offset ?? 0) as AuditRow[];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
