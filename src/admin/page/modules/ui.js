// @ts-check
/* Trợ lý Công vụ, administration page: formatting and the small pieces of page every panel uses
 * (badges, table rows, the status line). Text goes in as text only (see lib/browser/dom.js). */
import { $, el } from '../../../lib/browser/dom.js';

/**
 * A coloured label.
 * @param {string} text
 * @param {string} [tone] ok, warn, bad, info or muted (the default)
 */
export function badge(text, tone) {
  return el('span', { className: 'badge ' + (tone || 'muted'), text });
}

/** "2024-07-01" → "01/07/2024". @param {string | null | undefined} iso */
export function vnDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso || '';
}

/** An ISO instant in local time, Vietnamese style. @param {string | null | undefined} iso */
export function vnTime(iso) {
  const d = new Date(iso ?? '');
  if (isNaN(d.getTime())) return String(iso || '');
  return d.toLocaleString('vi-VN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** `text` cut to `max` characters, with an ellipsis. @param {unknown} text @param {number} max */
export function cut(text, max) {
  const s = String(text || '');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** Lower case without diacritics, for the quick search. @param {unknown} s */
export function fold(s) {
  return String(s || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/**
 * Puts `rows` in the table's body, or one row saying `emptyText` when there are none.
 * @param {HTMLTableElement} table
 * @param {HTMLTableRowElement[]} rows
 * @param {number} columns
 * @param {string} emptyText
 */
export function setRows(table, rows, columns, emptyText) {
  const frag = document.createDocumentFragment();
  frag.append(...rows);
  if (rows.length === 0)
    frag.append(el('tr', null, [el('td', { className: 'empty', colspan: columns, text: emptyText })]));
  table.tBodies[0]?.replaceChildren(frag);
}

/**
 * Shows a status message (one aria-live region for every action).
 * @param {string} text
 * @param {'ok' | 'error'} [tone]
 */
export function notify(text, tone) {
  const n = $('notice');
  n.className = 'notice' + (tone === 'error' ? ' error-notice' : tone === 'ok' ? ' ok-notice' : '');
  n.textContent = text;
}

/** Shows or hides the banner about edits that wait for a re-index. @param {boolean} on */
export function showPending(on) {
  $('pending').hidden = !on;
}
