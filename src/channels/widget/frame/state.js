// @ts-check
/* The conversation as data: what the frame shows and keeps in localStorage. Everything read back
 * from storage (or from the server) goes through `cleanMessage`, so the page only ever renders
 * strings of bounded length in known fields — never stored HTML. */

const KEY = 'tlcv-widget:v1';
const MAX_MESSAGES = 50;
/** A conversation id as the server issues it. */
export const ID_RE = /^[\w-]{1,64}$/;

/**
 * @typedef {{ n: number, label: string, sourceId: string, chunkId: string, url?: string }} Citation
 * @typedef {'user' | 'bot'} Role
 * @typedef {'up' | 'down'} Rating
 * @typedef {{
 *   role: Role,
 *   text: string,
 *   kind?: 'error' | 'info',
 *   citations?: Citation[],
 *   followUps?: string[],
 *   messageId?: string,
 *   conversationId?: string,
 *   rating?: Rating,
 *   feedbackSent?: boolean,
 * }} Message
 */

/** `v` when it is a string of at most `max` characters, else "". @param {unknown} v @param {number} max */
function str(v, max) {
  return typeof v === 'string' && v.length <= max ? v : '';
}

/** @param {unknown} v @returns {v is Record<string, unknown>} */
function isObject(v) {
  return !!v && typeof v === 'object';
}

/**
 * A citation with known fields only, or null when it points nowhere.
 * @param {unknown} c
 * @returns {Citation | null}
 */
export function cleanCitation(c) {
  if (!isObject(c)) return null;
  /** @type {Citation} */
  const out = {
    n: typeof c.n === 'number' ? c.n : 0,
    label: str(c.label, 500),
    sourceId: str(c.sourceId, 200),
    chunkId: str(c.chunkId, 300),
  };
  const url = str(c.url, 2000);
  if (url) out.url = url;
  return out.sourceId || out.url ? out : null;
}

/**
 * A message with known fields only, or null when it is not one.
 * @param {unknown} m
 * @returns {Message | null}
 */
export function cleanMessage(m) {
  if (!isObject(m) || (m.role !== 'user' && m.role !== 'bot') || typeof m.text !== 'string') return null;
  /** @type {Message} */
  const out = { role: m.role, text: m.text.slice(0, 20000) };
  if (m.kind === 'error' || m.kind === 'info') out.kind = m.kind;
  if (Array.isArray(m.citations))
    out.citations = m.citations.map(cleanCitation).filter(isPresent).slice(0, 20);
  if (Array.isArray(m.followUps))
    out.followUps = m.followUps.filter(/** @returns {f is string} */ (f) => !!str(f, 300)).slice(0, 6);
  const messageId = str(m.messageId, 64);
  if (messageId) out.messageId = messageId;
  if (typeof m.conversationId === 'string' && ID_RE.test(m.conversationId))
    out.conversationId = m.conversationId;
  if (m.rating === 'up' || m.rating === 'down') out.rating = m.rating;
  if (m.feedbackSent === true) out.feedbackSent = true;
  return out;
}

/** @template T @param {T | null} v @returns {v is T} */
function isPresent(v) {
  return v !== null;
}

/** The conversation the frame shows, and its copy in localStorage. */
export class Conversation {
  /** @param {Storage | null} storage null when the browser blocks it */
  constructor(storage) {
    /** @private */
    this.storage = storage;
    /** @type {string | null} */
    this.conversationId = null;
    /** @type {Message[]} */
    this.messages = [];
  }

  /** Restores the saved conversation; an unreadable one is ignored. */
  load() {
    try {
      const saved = JSON.parse(this.storage?.getItem(KEY) || 'null');
      if (!isObject(saved)) return;
      if (typeof saved.conversationId === 'string' && ID_RE.test(saved.conversationId))
        this.conversationId = saved.conversationId;
      if (Array.isArray(saved.messages))
        this.messages = saved.messages.map(cleanMessage).filter(isPresent).slice(-MAX_MESSAGES);
    } catch {
      // Unreadable or blocked storage: start a fresh conversation.
    }
  }

  /** Keeps the last messages and stores them (or forgets an empty conversation). */
  save() {
    this.messages = this.messages.slice(-MAX_MESSAGES);
    try {
      if (!this.conversationId && this.messages.length === 0) this.storage?.removeItem(KEY);
      else
        this.storage?.setItem(
          KEY,
          JSON.stringify({ conversationId: this.conversationId, messages: this.messages }),
        );
    } catch {
      // Storage full or blocked: the conversation still works, it just will not survive a reload.
    }
  }

  /** Starts over: no id, no messages, nothing stored. */
  reset() {
    this.conversationId = null;
    this.messages = [];
    this.save();
  }

  /** Adds a message and stores the conversation. @param {Message} m */
  push(m) {
    this.messages.push(m);
    this.save();
  }
}
