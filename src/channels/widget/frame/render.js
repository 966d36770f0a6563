// @ts-check
/* The conversation drawn as DOM: answers as paragraphs and lists, sources as links, suggestion
 * chips, and the typing indicator. Text goes in as Text nodes only (lib/browser/dom.js), so an
 * answer or question containing markup shows as text. */
import { button, el } from '../../../lib/browser/dom.js';
import { feedbackBox } from './feedback.js';

/** @typedef {import('./state.js').Message} Message */
/** @typedef {import('./state.js').Citation} Citation */
/** @typedef {import('./feedback.js').FeedbackActions} FeedbackActions */

/**
 * What rendered messages can do: ask a suggested question, and rate an answer.
 * @typedef {FeedbackActions & { send: (text: string) => void }} Actions
 */

/**
 * Plain answer text: blank lines separate paragraphs, "- " lines become a list; [n] stays text.
 * @param {string} text
 * @returns {HTMLDivElement}
 */
export function renderText(text) {
  const box = el('div', 'text');
  /** @type {HTMLUListElement | null} */
  let list = null;
  for (const line of text.split(/\r?\n/)) {
    const item = /^\s*[-•*]\s+(.*)$/.exec(line);
    if (item) {
      if (!list) list = box.appendChild(el('ul'));
      list.appendChild(el('li', null, item[1]));
      continue;
    }
    list = null;
    if (line.trim() !== '') box.appendChild(el('p', null, line));
  }
  return box;
}

/**
 * Where a citation links to: the procedure's own page, or this server's passage page.
 * @param {Citation} c
 * @returns {string}
 */
export function citationHref(c) {
  if (c.url && /^https?:\/\//i.test(c.url)) return c.url;
  return (
    '/nguon?id=' + encodeURIComponent(c.sourceId) + (c.chunkId ? '#' + encodeURIComponent(c.chunkId) : '')
  );
}

/** @param {Citation[]} citations @returns {HTMLDivElement} */
function renderSources(citations) {
  const box = el('div', 'sources');
  box.appendChild(el('p', 'sources-title', 'Nguồn'));
  const ol = box.appendChild(el('ol'));
  for (const c of citations) {
    const a = el('a', null, '[' + c.n + '] ' + (c.label || c.sourceId));
    a.href = citationHref(c);
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    ol.appendChild(el('li')).appendChild(a);
  }
  return box;
}

/**
 * A labelled group of question buttons (suggestions, follow-ups).
 * @param {string} cls
 * @param {string} label
 * @param {string[]} items
 * @param {(text: string) => void} send
 * @returns {HTMLDivElement}
 */
export function chips(cls, label, items, send) {
  const box = el('div', 'chips ' + cls);
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', label);
  for (const text of items) box.appendChild(button('chip', text, () => send(text)));
  return box;
}

/**
 * One message; `last` adds its follow-up questions.
 * @param {Message} m
 * @param {boolean} last
 * @param {Actions} actions
 * @returns {HTMLDivElement}
 */
export function renderMessage(m, last, actions) {
  const wrap = el('div', 'msg ' + m.role + (m.kind ? ' ' + m.kind : ''));
  const bubble = wrap.appendChild(el('div', 'bubble'));
  if (m.role === 'user') {
    wrap.insertBefore(el('span', 'sr-only', 'Bạn hỏi:'), bubble);
    bubble.textContent = m.text;
    return wrap;
  }
  bubble.appendChild(renderText(m.text));
  if (m.citations && m.citations.length) bubble.appendChild(renderSources(m.citations));
  if (m.messageId) wrap.appendChild(feedbackBox(m, actions));
  if (last && m.followUps && m.followUps.length)
    wrap.appendChild(chips('followups', 'Câu hỏi gợi ý tiếp theo', m.followUps, actions.send));
  return wrap;
}

/**
 * The typing indicator, which turns into the streamed text as pieces arrive.
 * @param {() => void} onGrow called after each piece (to keep it in view)
 * @returns {{ node: HTMLDivElement, append: (piece: string) => void }}
 */
export function typingIndicator(onGrow) {
  const wrap = el('div', 'msg bot pending');
  const bubble = wrap.appendChild(el('div', 'bubble typing'));
  bubble.append(
    el('span', 'dot'),
    el('span', 'dot'),
    el('span', 'dot'),
    el('span', 'sr-only', 'Đang soạn câu trả lời…'),
  );
  /** @type {Text | null} */
  let text = null;
  return {
    node: wrap,
    append(piece) {
      if (!text) {
        bubble.replaceChildren();
        bubble.className = 'bubble streaming';
        text = bubble.appendChild(document.createTextNode(''));
      }
      text.appendData(piece);
      onGrow();
    },
  };
}
