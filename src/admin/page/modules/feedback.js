// @ts-check
/* Trợ lý Công vụ, administration page: the tab of the citizens' ratings of answers. */
import { $, el } from '../../../lib/browser/dom.js';
import { loadTable, request } from './api.js';
import { RATING } from './labels.js';
import { badge, cut, setRows, vnTime } from './ui.js';

/** One rating. @typedef {{ createdAt: string, rating: string, question?: string, answer?: string, comment?: string }} Feedback */

const table = $('feedback-table', HTMLTableElement);
const rating = $('feedback-rating', HTMLSelectElement);

export async function loadFeedback() {
  const chosen = rating.value;
  await loadTable(table, async () => {
    const r = await request(
      'GET',
      '/feedback?limit=200' + (chosen ? '&rating=' + encodeURIComponent(chosen) : ''),
    );
    /** @type {Feedback[]} */
    const feedback = r.data.feedback || [];
    setRows(table, feedback.map(feedbackRow), 5, 'Chưa có góp ý nào.');
  });
}

/** @param {Feedback} f */
function feedbackRow(f) {
  const [label, tone] = RATING[f.rating] || [f.rating, 'muted'];
  const answer = el('td', { className: 'long', text: cut(f.answer || '', 300) });
  if (f.answer && f.answer.length > 300) answer.setAttribute('title', f.answer);
  return el('tr', null, [
    el('td', { text: vnTime(f.createdAt) }),
    el('td', null, [badge(label, tone)]),
    el('td', { className: 'long', text: f.question || '' }),
    answer,
    el('td', { className: 'long', text: f.comment || '' }),
  ]);
}

rating.addEventListener('change', () => void loadFeedback());
$('feedback-filters', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  void loadFeedback();
});
