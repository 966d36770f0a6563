import type { ChannelId, Citation, Outcome } from './types.js';

/** A conversation as stored; `state` is the answer layer's opaque JSON memory of it. */
export interface ConversationRow {
  id: string;
  channel: ChannelId;
  /** Opaque user reference (Zalo user id, Teams AAD id) when the channel gave one. */
  userRef?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** ISO 8601 UTC; moves on every `saveState`. */
  updatedAt: string;
  state: string | null;
}

export interface NewConversation {
  id: string;
  channel: ChannelId;
  userRef?: string;
}

export type MessageRole = 'user' | 'assistant';

/** One message of the audit trail. */
export interface MessageRow {
  id: string;
  conversationId: string;
  role: MessageRole;
  /** At most 10,000 characters; longer text was truncated when stored. */
  text: string;
  channel: ChannelId;
  /** Empty for user messages and answers without sources. */
  citations: Citation[];
  /** Null when not given (user messages). */
  grounded: boolean | null;
  outcome: Outcome | null;
  confidence: number | null;
  createdAt: string;
}

export interface NewMessage {
  conversationId: string;
  role: MessageRole;
  text: string;
  channel: ChannelId;
  citations?: Citation[];
  grounded?: boolean;
  outcome?: Outcome;
  confidence?: number;
}

export type Rating = 'up' | 'down';

export interface NewFeedback {
  conversationId: string;
  /** The answer rated; must belong to the conversation. Omitted for feedback on the whole conversation. */
  messageId?: string;
  rating: Rating;
  /** At most 2,000 characters are kept. */
  comment?: string;
}

/** A rating as the admin sees it, with the rated answer and the question before it. */
export interface FeedbackRow {
  id: string;
  conversationId: string;
  messageId: string | null;
  rating: Rating;
  comment: string | null;
  /** When the (latest) rating was given. */
  createdAt: string;
  /** The answer rated, and the user's question before it, when the feedback names a message. */
  answer: string | null;
  question: string | null;
}

export interface NewUnanswered {
  conversationId: string;
  /** The user's message that went unanswered. */
  messageId?: string;
  question: string;
  channel: ChannelId;
  /** Folded text the gap report groups by (the answer layer decides how to fold). */
  normalized: string;
}

/** One question and its answer, as recorded by `recordTurn`. Without `answer` only the question is kept (answering failed). */
export interface NewTurn {
  conversation: NewConversation;
  question: { text: string; channel: ChannelId };
  answer?: Omit<NewMessage, 'conversationId' | 'role'>;
  /** The conversation's new state; unchanged when absent. */
  stateJson?: string;
  /** Recorded against the user's message when the question went unanswered. */
  unanswered?: Omit<NewUnanswered, 'conversationId' | 'messageId'>;
}

/** One line of the gap report: a question the corpus could not answer, grouped by its folded text. */
export interface GapRow {
  normalized: string;
  /** The most recent wording of the question. */
  example: string;
  count: number;
  lastAskedAt: string;
  /** Channels it was asked on, sorted. */
  channels: ChannelId[];
}

export interface NewAudit {
  /** Who acted: an admin name, 'cli', 'system'. */
  actor: string;
  action: string;
  target?: string;
  result: 'ok' | 'error';
  /** At most 2,000 characters are kept. */
  detail?: string;
}

export interface AuditRow {
  id: number;
  createdAt: string;
  actor: string;
  action: string;
  target: string | null;
  result: 'ok' | 'error';
  detail: string | null;
}

/** What a retention purge removed (and archived as gap-report counts), rows per table. */
export interface PurgeCounts {
  /** ISO cut-off: rows older than this were removed. */
  before: string;
  conversations: number;
  messages: number;
  feedback: number;
  unanswered: number;
  /** Gap-report groups (folded question × channel) written or added to in the archive. */
  gapsArchived: number;
}

/** Paging for admin listings: `limit` defaults to 100 and is capped at 1,000; `offset` defaults to 0. */
export interface Page {
  limit?: number;
  offset?: number;
}

/**
 * Everything the assistant persists. Methods return promises so that a PostgreSQL implementation
 * (several instances sharing state) can take the place of the embedded SQLite one.
 */
export interface AssistantStore {
  /** Creates the conversation unless it exists (idempotent; an existing one is left as is). */
  ensureConversation(c: NewConversation): Promise<void>;
  getConversation(id: string): Promise<ConversationRow | null>;
  /** Replaces the conversation's opaque state; `not_found` when the conversation does not exist. */
  saveState(id: string, stateJson: string): Promise<void>;
  /** Appends a message (id: random UUID); `not_found` when the conversation does not exist. */
  addMessage(m: NewMessage): Promise<{ id: string; createdAt: string }>;
  /** The last `limit` messages (default 50), oldest first. */
  listMessages(conversationId: string, limit?: number): Promise<MessageRow[]>;
  getMessage(id: string): Promise<MessageRow | null>;
  /** A second rating of the same message replaces the first; an unknown message or conversation is `not_found`. */
  addFeedback(f: NewFeedback): Promise<void>;
  /** Newest first, optionally only one rating. */
  listFeedback(q?: Page & { rating?: Rating }): Promise<FeedbackRow[]>;
  addUnanswered(u: NewUnanswered): Promise<void>;
  /** The conversation's state as its next turn must see it, counting a turn still waiting to be committed. */
  turnState(conversationId: string): Promise<string | null>;
  /**
   * Records a whole turn in one transaction: the conversation unless it exists, the user's message,
   * the answer, the unanswered question when declined, and the new state. Turns recorded at the
   * same moment may share one commit; the promise settles once this turn is committed.
   */
  recordTurn(turn: NewTurn): Promise<{ questionId: string; answerId: string | null }>;
  /** Unanswered questions grouped by folded text, most frequent first; `since` is an ISO time, `limit` defaults to 50. */
  gapReport(q?: { limit?: number; since?: string }): Promise<GapRow[]>;
  /** True the first time an event id is seen from a source (webhook de-duplication), false after. Atomic. */
  markEventSeen(source: string, eventId: string): Promise<boolean>;
  /** Forgets event ids seen more than `olderThanMs` milliseconds ago; returns how many. */
  pruneEvents(olderThanMs: number): Promise<number>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
  /** Sets `key` only if its value is still `expected` (null: absent); true when it was set. Atomic. */
  compareAndSetSetting(key: string, expected: string | null, value: string): Promise<boolean>;
  addAudit(a: NewAudit): Promise<void>;
  /** Newest first. */
  listAudit(q?: Page): Promise<AuditRow[]>;
  /**
   * Personal-data retention: removes conversations, messages, feedback and unanswered questions
   * older than `before` (ISO time), keeping the gap report's counts per (masked) question.
   */
  purgeBefore(before: string): Promise<PurgeCounts>;
  /** Closes the database; safe to call twice. */
  close(): Promise<void>;
}
