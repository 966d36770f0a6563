import type { ProcedureField } from '../ingest/types.js';

/** An option offered to the user; replying with its number picks it. */
export interface Option {
  text: string;
  /** Set when the option is a document to answer about (a choice between similar procedures). */
  docId?: string;
}

/** What the assistant remembers of a conversation between messages (stored as JSON). */
export interface ConversationState {
  /** The document in focus and the field last answered, for follow-ups. */
  focus?: { docId: string; field?: ProcedureField; chunkId?: string };
  /** Fields asked when the assistant offered a choice, applied to the option picked. */
  pendingFields?: ProcedureField[];
  /** Ids of the last results, best first. */
  lastResults: string[];
  /** Numbered options of the last answer (follow-ups, alternatives). */
  options: Option[];
  /** The last turns, for rewriting follow-ups with an LLM. */
  history: { role: 'user' | 'assistant'; text: string }[];
  /**
   * What the last turn answered, when it was an answer (not a decline or small talk): the document
   * cited first and the question (for a picked number, the cited passage's label). "Sai rồi"
   * rejects it; "gặp cán bộ" names who handles it.
   */
  answered?: { docId: string; question: string };
}

/** Turns kept for follow-up rewriting, and characters kept of each. */
const HISTORY_TURNS = 6;
const HISTORY_CHARS = 500;

export function emptyState(): ConversationState {
  return { lastResults: [], options: [], history: [] };
}

/** Parses stored state; anything unreadable starts a fresh conversation rather than failing the reply. */
export function parseState(json: string | null | undefined): ConversationState {
  if (!json) return emptyState();
  try {
    const raw = JSON.parse(json) as Partial<ConversationState>;
    return {
      ...(raw.focus && typeof raw.focus.docId === 'string' ? { focus: raw.focus } : {}),
      ...(Array.isArray(raw.pendingFields) ? { pendingFields: raw.pendingFields } : {}),
      lastResults: Array.isArray(raw.lastResults) ? raw.lastResults.filter((x) => typeof x === 'string') : [],
      options: Array.isArray(raw.options) ? raw.options.filter((o) => typeof o?.text === 'string') : [],
      history: Array.isArray(raw.history) ? raw.history.filter((h) => typeof h?.text === 'string') : [],
      ...(typeof raw.answered?.docId === 'string' && typeof raw.answered.question === 'string'
        ? { answered: { docId: raw.answered.docId, question: raw.answered.question } }
        : {}),
    };
  } catch {
    return emptyState();
  }
}

/** Adds one turn to the history, keeping the last few. */
export function remember(state: ConversationState, role: 'user' | 'assistant', text: string): void {
  state.history.push({ role, text: text.slice(0, HISTORY_CHARS) });
  if (state.history.length > HISTORY_TURNS) state.history.splice(0, state.history.length - HISTORY_TURNS);
}

/** The option a bare number ("2", "số 2", "2.") refers to, or null. */
export function pickedOption(message: string, state: ConversationState): Option | null {
  const m = /^\s*(?:số|so|chọn|chon)?\s*(\d{1,2})\s*[.)]?\s*$/iu.exec(message);
  if (!m) return null;
  return state.options[Number(m[1]) - 1] ?? null;
}
