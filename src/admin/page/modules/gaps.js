// @ts-check
/* Trợ lý Công vụ, administration page: the tab of questions the assistant could not answer. */
import { $, el } from '../../../lib/browser/dom.js';
import { loadTable, request } from './api.js';
import { CHANNEL } from './labels.js';
import { setRows, vnTime } from './ui.js';

/** A group of unanswered questions. @typedef {{ example: string, count: number, lastAskedAt: string, channels?: string[] }} Gap */

const table = $('gap-table', HTMLTableElement);

export async function loadGaps() {
  await loadTable(table, async () => {
    const r = await request('GET', '/gaps?limit=200');
    /** @type {Gap[]} */
    const gaps = r.data.gaps || [];
    setRows(
      table,
      gaps.map((g) =>
        el('tr', null, [
          el('td', { className: 'long', text: g.example }),
          el('td', { className: 'num', text: g.count }),
          el('td', { text: vnTime(g.lastAskedAt) }),
          el('td', { text: (g.channels || []).map((c) => CHANNEL[c] || c).join(', ') }),
        ]),
      ),
      4,
      'Chưa có câu hỏi nào chưa được trả lời.',
    );
  });
}

$('gaps-refresh').addEventListener('click', () => void loadGaps());
