// @ts-check
/* 👍 / 👎 under an answer, with an optional comment after a 👎. The rating is kept on the message
 * (and so in localStorage); once sent, the buttons are disabled for good. */
import { button, el, svgIcon } from '../../../lib/browser/dom.js';
import { NET_ERROR, THANKS, UserError } from './api.js';

/** @typedef {import('./state.js').Message} Message */
/** @typedef {import('./state.js').Rating} Rating */

/**
 * What the feedback box needs from the frame.
 * @typedef {{
 *   rate: (m: Message, rating: Rating, comment?: string) => Promise<string>,
 *   save: () => void,
 * }} FeedbackActions
 */

// Drawn as SVG: colour emoji fonts are missing on many office PCs.
const THUMB = {
  up: 'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z',
  down: 'M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z',
};

/** @param {Rating} kind @param {string} label @param {() => void} onClick */
function thumbButton(kind, label, onClick) {
  const b = button('fb-btn fb-' + kind, null, onClick);
  b.append(svgIcon(THUMB[kind]), el('span', null, label));
  return b;
}

/** What to show for a failed send. @param {unknown} err */
const failure = (err) => (err instanceof UserError ? err.message : NET_ERROR);

/**
 * The feedback box of answer `m`.
 * @param {Message} m
 * @param {FeedbackActions} actions
 * @returns {HTMLDivElement}
 */
export function feedbackBox(m, actions) {
  const box = el('div', 'fb');
  const row = box.appendChild(el('div', 'fb-row'));
  const up = row.appendChild(thumbButton('up', 'Hữu ích', () => rate('up')));
  const down = row.appendChild(thumbButton('down', 'Chưa hữu ích', () => rate('down')));
  const status = box.appendChild(el('p', 'fb-status'));
  /** @type {HTMLDivElement | null} */
  let formBox = null;

  const sync = () => {
    up.setAttribute('aria-pressed', String(m.rating === 'up'));
    down.setAttribute('aria-pressed', String(m.rating === 'down'));
    up.disabled = down.disabled = !!m.feedbackSent;
    if (m.feedbackSent) status.textContent = THANKS;
  };
  const closeForm = () => {
    formBox?.remove();
    formBox = null;
  };
  /** @param {string} message */
  const done = (message) => {
    m.feedbackSent = true;
    actions.save();
    closeForm();
    sync();
    status.textContent = message;
  };
  /** @param {unknown} err */
  const fail = (err) => {
    status.textContent = failure(err);
  };

  /** @param {Rating} rating */
  function rate(rating) {
    if (m.feedbackSent) return;
    m.rating = rating;
    sync();
    status.textContent = '';
    if (rating === 'up') {
      closeForm();
      actions.rate(m, 'up').then(done, fail);
      return;
    }
    if (formBox) return;
    // 👎: an optional comment before sending.
    const form = el('div', 'fb-form');
    const id = 'fb-' + Math.random().toString(36).slice(2);
    const label = el('label', null, 'Góp ý thêm (không bắt buộc)');
    label.htmlFor = id;
    const area = el('textarea');
    area.id = id;
    area.rows = 2;
    area.maxLength = 2000;
    const submit = button('fb-send', 'Gửi góp ý', () => {
      submit.disabled = true;
      actions.rate(m, 'down', area.value.trim()).then(done, (err) => {
        submit.disabled = false;
        fail(err);
      });
    });
    form.append(label, area, submit);
    box.insertBefore(form, status);
    formBox = form;
    area.focus();
  }

  sync();
  return box;
}
