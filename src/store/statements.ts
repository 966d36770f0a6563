import type { Database } from 'better-sqlite3';
import type { ChannelId, Citation, Outcome } from '../answer/types.js';
import type {
  AuditRow,
  ConversationRow,
  FeedbackRow,
  GapRow,
  MessageRole,
  MessageRow,
  Rating,
} from '../answer/store.js';

/** Rows as SQLite returns them (snake_case, 0/1 booleans, JSON text). */
export interface RawConversation {
  id: string;
  channel: ChannelId;
  user_ref: string | null;
  state: string | null;
  created_at: string;
  updated_at: string;
}

export interface RawMessage {
  id: string;
  conversation_id: string;
  role: MessageRole;
  text: string;
  channel: ChannelId;
  citations: string | null;
  grounded: number | null;
  outcome: Outcome | null;
  confidence: number | null;
  created_at: string;
}

export interface RawFeedback {
  id: string;
  conversation_id: string;
  message_id: string | null;
  rating: Rating;
  comment: string | null;
  created_at: string;
  answer: string | null;
  question: string | null;
}

export interface RawGap {
  normalized: string;
  example: string;
  count: number;
  last_asked_at: string;
  channels: string;
}

export interface RawAudit {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  result: 'ok' | 'error';
  detail: string | null;
}

export interface MessageParams {
  id: string;
  conversationId: string;
  role: MessageRole;
  text: string;
  channel: ChannelId;
  citations: string | null;
  grounded: number | null;
  outcome: Outcome | null;
  confidence: number | null;
  createdAt: string;
}

type Page = [limit: number, offset: number];

/** Prepares every statement the store uses once, when the database is opened. */
export function prepareStatements(db: Database) {
  return {
    ensureConversation: db.prepare<
      [id: string, channel: ChannelId, userRef: string | null, createdAt: string, updatedAt: string]
    >(
      `INSERT INTO conversations (id, channel, user_ref, state, created_at, updated_at) VALUES (?, ?, ?, NULL, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    ),
    getConversation: db.prepare<[id: string], RawConversation>('SELECT * FROM conversations WHERE id = ?'),
    saveState: db.prepare<[state: string, updatedAt: string, id: string]>(
      'UPDATE conversations SET state = ?, updated_at = ? WHERE id = ?',
    ),
    // seq keeps the order of messages written within the same millisecond.
    addMessage: db.prepare<MessageParams>(
      `INSERT INTO messages (id, conversation_id, seq, role, text, channel, citations, grounded, outcome, confidence, created_at)
       VALUES (@id, @conversationId, (SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE conversation_id = @conversationId),
               @role, @text, @channel, @citations, @grounded, @outcome, @confidence, @createdAt)`,
    ),
    listMessages: db.prepare<[conversationId: string, limit: number], RawMessage>(
      'SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC',
    ),
    getMessage: db.prepare<[id: string], RawMessage>('SELECT * FROM messages WHERE id = ?'),
    upsertFeedback: db.prepare<
      [
        id: string,
        conversationId: string,
        messageId: string | null,
        rating: Rating,
        comment: string | null,
        createdAt: string,
      ]
    >(
      `INSERT INTO feedback (id, conversation_id, message_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(message_id) WHERE message_id IS NOT NULL
       DO UPDATE SET rating = excluded.rating, comment = excluded.comment, created_at = excluded.created_at`,
    ),
    listFeedback: db.prepare<{ rating: Rating | null; limit: number; offset: number }, RawFeedback>(
      `SELECT f.*, a.text AS answer,
         (SELECT u.text FROM messages u WHERE u.conversation_id = a.conversation_id AND u.role = 'user' AND u.seq < a.seq
          ORDER BY u.seq DESC LIMIT 1) AS question
       FROM feedback f LEFT JOIN messages a ON a.id = f.message_id
       WHERE @rating IS NULL OR f.rating = @rating
       ORDER BY f.created_at DESC, f.rowid DESC LIMIT @limit OFFSET @offset`,
    ),
    addUnanswered: db.prepare<
      [
        conversationId: string,
        messageId: string | null,
        question: string,
        normalized: string,
        channel: ChannelId,
        createdAt: string,
      ]
    >(
      'INSERT INTO unanswered (conversation_id, message_id, question, normalized, channel, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    // The newest wording is the example; it always falls inside the `since` window when its group does.
    // Questions past the retention period live on as counts in gap_archive (see retention.ts); an
    // archived group counts in a window when its last question does.
    gapReport: db.prepare<{ since: string; limit: number }, RawGap>(
      `WITH g AS (
         SELECT normalized, channel, created_at AS at, 1 AS n FROM unanswered WHERE created_at >= @since
         UNION ALL
         SELECT normalized, channel, last_asked_at, count FROM gap_archive WHERE last_asked_at >= @since
       )
       SELECT g.normalized, SUM(g.n) AS count, MAX(g.at) AS last_asked_at, GROUP_CONCAT(DISTINCT g.channel) AS channels,
         COALESCE((SELECT e.question FROM unanswered e WHERE e.normalized = g.normalized ORDER BY e.id DESC LIMIT 1),
                  (SELECT a.example FROM gap_archive a WHERE a.normalized = g.normalized ORDER BY a.last_asked_at DESC LIMIT 1)) AS example
       FROM g GROUP BY g.normalized ORDER BY count DESC, last_asked_at DESC, g.normalized LIMIT @limit`,
    ),
    markEventSeen: db.prepare<[source: string, eventId: string, seenAt: string]>(
      'INSERT OR IGNORE INTO seen_events (source, event_id, seen_at) VALUES (?, ?, ?)',
    ),
    pruneEvents: db.prepare<[before: string]>('DELETE FROM seen_events WHERE seen_at < ?'),
    getSetting: db.prepare<[key: string], string>('SELECT value FROM settings WHERE key = ?').pluck(),
    setSetting: db.prepare<[key: string, value: string, updatedAt: string]>(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ),
    // Compare-and-set is one statement each way, so SQLite's write lock makes it atomic across processes.
    casReplace: db.prepare<[value: string, updatedAt: string, key: string, expected: string]>(
      'UPDATE settings SET value = ?, updated_at = ? WHERE key = ? AND value = ?',
    ),
    casCreate: db.prepare<[key: string, value: string, updatedAt: string]>(
      'INSERT OR IGNORE INTO settings (key, value, updated_at) VALUES (?, ?, ?)',
    ),
    addAudit: db.prepare<
      [
        at: string,
        actor: string,
        action: string,
        target: string | null,
        result: 'ok' | 'error',
        detail: string | null,
      ]
    >('INSERT INTO audit_log (at, actor, action, target, result, detail) VALUES (?, ?, ?, ?, ?, ?)'),
    listAudit: db.prepare<Page, RawAudit>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;

/** Maps a conversation row, leaving `userRef` out when the channel gave none. */
export function toConversation(r: RawConversation): ConversationRow {
  const row: ConversationRow = {
    id: r.id,
    channel: r.channel,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    state: r.state,
  };
  if (r.user_ref !== null) row.userRef = r.user_ref;
  return row;
}

/** Maps a message row, parsing its citations back. */
export function toMessage(r: RawMessage): MessageRow {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    role: r.role,
    text: r.text,
    channel: r.channel,
    citations: r.citations === null ? [] : (JSON.parse(r.citations) as Citation[]),
    grounded: r.grounded === null ? null : r.grounded === 1,
    outcome: r.outcome,
    confidence: r.confidence,
    createdAt: r.created_at,
  };
}

/** Maps a feedback row joined with its answer and question. */
export function toFeedback(r: RawFeedback): FeedbackRow {
  return {
    id: r.id,
    conversationId: r.conversation_id,
    messageId: r.message_id,
    rating: r.rating,
    comment: r.comment,
    createdAt: r.created_at,
    answer: r.answer,
    question: r.question,
  };
}

/** Maps a gap-report group; channels come back sorted so reports are stable. */
export function toGap(r: RawGap): GapRow {
  const channels = r.channels.split(',').sort() as ChannelId[];
  return {
    normalized: r.normalized,
    example: r.example,
    count: r.count,
    lastAskedAt: r.last_asked_at,
    channels,
  };
}

/** Maps an audit-log row. */
export function toAudit(r: RawAudit): AuditRow {
  return {
    id: r.id,
    createdAt: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    result: r.result,
    detail: r.detail,
  };
}
