import type { ChannelId, Citation, Outcome } from '../answer/types.js';

/** A conversation as stored; `state` is the answer layer's opaque JSON memory of it. */
export interface ConversationRow {
  id: string;
  channel: string;
  userRef?: string;
  createdAt: string;
  updatedAt: string;
  state: string | null;
}

/** One message of the audit trail. */
export interface MessageRow {
  id: string;
  conversationId: string;
  role: 'user' | 'assistant';
  text: string;
  channel: string;
  citations: Citation[];
  grounded: boolean | null;
  outcome: Outcome | null;
  confidence: number | null;
  createdAt: string;
}

export interface NewMessage {
  conversationId: string;
  role: 'user' | 'assistant';
  text: string;
  channel: ChannelId | string;
  citations?: Citation[];
  grounded?: boolean;
  outcome?: Outcome;
  confidence?: number;
}

export interface FeedbackRow {
  id: string;
  conversationId: string;
  messageId: string | null;
  rating: 'up' | 'down';
  comment: string | null;
  createdAt: string;
  /** The answer rated, and the question before it, when the feedback names a message. */
  answer: string | null;
  question: string | null;
}

/** One line of the gap report: a question the corpus could not answer, grouped by its folded text. */
export interface GapRow {
  normalized: string;
  example: string;
  count: number;
  lastAskedAt: string;
  channels: string[];
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  result: 'ok' | 'error';
  detail: string | null;
}

/**
 * Everything the assistant persists. Methods return promises so that a PostgreSQL implementation
 * (several instances sharing state) can take the place of the embedded SQLite one.
 */
export interface AssistantStore {
  ensureConversation(c: { id: string; channel: string; userRef?: string }): Promise<void>;
  getConversation(id: string): Promise<ConversationRow | null>;
  saveState(id: string, stateJson: string): Promise<void>;
  addMessage(m: NewMessage): Promise<{ id: string; createdAt: string }>;
  /** The last `limit` messages (default 50), oldest first. */
  listMessages(conversationId: string, limit?: number): Promise<MessageRow[]>;
  getMessage(id: string): Promise<MessageRow | null>;
  /** A second rating of the same message replaces the first; an unknown message is `not_found`. */
  addFeedback(f: { conversationId: string; messageId?: string; rating: 'up' | 'down'; comment?: string }): Promise<void>;
  listFeedback(q?: { rating?: 'up' | 'down'; limit?: number; offset?: number }): Promise<FeedbackRow[]>;
  addUnanswered(u: { conversationId: string; messageId?: string; question: string; channel: string; normalized: string }): Promise<void>;
  /** Unanswered questions grouped by folded text, most frequent first. */
  gapReport(q?: { limit?: number; since?: string }): Promise<GapRow[]>;
  /** True the first time an event id is seen from a source (webhook de-duplication), false after. */
  markEventSeen(source: string, eventId: string): Promise<boolean>;
  pruneEvents(olderThanMs: number): Promise<number>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /** Sets `key` only if its value is still `expected` (null: absent); true when it was set. */
  compareAndSetSetting(key: string, expected: string | null, value: string): Promise<boolean>;
  addAudit(a: { actor: string; action: string; target?: string; result: 'ok' | 'error'; detail?: string }): Promise<void>;
  listAudit(q?: { limit?: number; offset?: number }): Promise<AuditRow[]>;
  close(): Promise<void>;
}
