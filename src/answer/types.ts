import type { Audience, ProcedureField } from '../ingest/types.js';
import type { CacheStats } from '../lib/lru.js';

/** Where a message came from; channels render the same Answer for their medium. */
export type ChannelId = 'api' | 'web' | 'zalo' | 'teams';

/** What the user asked for. */
export type Intent =
  'greeting' | 'thanks' | 'help' | 'handoff' | 'rejection' | 'procedure' | 'legal' | 'out_of_scope';

/** How an answer turned out (the `/metrics` outcome label and the audit trail). */
export type Outcome = 'grounded' | 'declined' | 'smalltalk' | 'error';

/** One numbered source of an answer. */
export interface Citation {
  /** 1-based number used in the answer text as [n]. */
  n: number;
  /** Human-readable label: "Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí" or "Khoản 1 Điều 9 Nghị định 123/2015/NĐ-CP". */
  label: string;
  /** Procedure code or document id. */
  sourceId: string;
  /** Passage id within the snapshot. */
  chunkId: string;
  /** The procedure's portal page when known. */
  url?: string;
  field?: ProcedureField;
  page?: number;
  /** True when the page was read by OCR from a scan ("bản quét, trang 3"). */
  scanned?: boolean;
}

/** A close match offered when the assistant declines or several procedures fit. */
export interface Suggestion {
  sourceId: string;
  title: string;
  url?: string;
}

/** What the answer layer returns; channels only render it. */
export interface Answer {
  conversationId: string;
  /** Id of the stored answer message (for feedback); set once the answer is recorded. */
  messageId?: string;
  /** Vietnamese answer text; [n] markers refer to `citations`. Plain text with "-" lists and line breaks. */
  answer: string;
  citations: Citation[];
  /**
   * False when the assistant declined: not confident or out of scope (`intent` 'out_of_scope', no
   * citations), or the procedure was found but its record lacks what was asked (`intent`
   * 'procedure', the record cited).
   */
  grounded: boolean;
  outcome: Outcome;
  intent: Intent;
  /** The procedure field the answer quotes, when one was asked for. */
  field?: ProcedureField;
  /** Calibrated confidence in [0, 1] of the retrieval behind the answer. */
  confidence: number;
  /** Suggested follow-up questions (quick replies), Vietnamese. */
  followUps: string[];
  /** Other procedures the user may have meant (several levels, foreign element) or close matches when declining. */
  alternatives: Suggestion[];
  /** Hand-off contact, present when the assistant declined or the user asked for an officer. */
  handoff?: string;
  /** 'generated' when an LLM wrote the text from the passages. */
  mode: 'extractive' | 'generated';
}

/** One incoming question. */
export interface Question {
  message: string;
  /** Omitted on the first message; the assistant creates one. */
  conversationId?: string;
  channel: ChannelId;
  /** Citizens' channels see public documents only; officials' channels (Teams) may see internal ones. */
  audience: Audience;
  /** Opaque user reference (Zalo user id, Teams AAD id), stored with the conversation. */
  userRef?: string;
}

/** The answer layer as the channels see it. */
export interface Assistant {
  /** Answers one message, remembering the conversation's focus. Never throws for user input. */
  reply(question: Question): Promise<Answer>;
  /** Streams the answer text as it is produced (generated mode), then resolves with the full Answer. */
  replyStream(question: Question, onDelta: (text: string) => void): Promise<Answer>;
  /** Use and size of the answer layer's caches since start (for /metrics). */
  cacheStats?(): AnswerCacheStats;
  /** Turns waiting for the turn gate to start them (for /metrics). */
  turnsWaiting?(): number;
}

export type { CacheStats };

/** The answer layer's caches: recent retrievals (this assistant's), folded syllables (the process's). */
export interface AnswerCacheStats {
  retrieval: CacheStats;
  syllables: CacheStats;
}
