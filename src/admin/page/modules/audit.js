// @ts-check
/* Trợ lý Công vụ, administration page: the audit log tab. */
import { $, el } from '../../../lib/browser/dom.js';
import { loadTable, request } from './api.js';
import { ACTION } from './labels.js';
import { badge, cut, setRows, vnTime } from './ui.js';

/** One entry of the log. @typedef {{ createdAt: string, actor: string, action: string, target?: string, result: string, detail?: string }} AuditEntry */

const table = $('audit-table', HTMLTableElement);

export async function loadAudit() {
  await loadTable(table, async () => {
    const r = await request('GET', '/audit?limit=200');
    /** @type {AuditEntry[]} */
    const audit = r.data.audit || [];
    setRows(
      table,
      audit.map((a) =>
        el('tr', null, [
          el('td', { text: vnTime(a.createdAt) }),
          el('td', { text: a.actor }),
          el('td', { text: ACTION[a.action] || a.action }),
          el('td', { className: 'source', text: a.target || '' }),
          el('td', null, [a.result === 'ok' ? badge('Thành công', 'ok') : badge('Lỗi', 'bad')]),
          el('td', { className: 'long', text: cut(a.detail || '', 300) }),
        ]),
      ),
      6,
      'Nhật ký trống.',
    );
  });
}

$('audit-refresh').addEventListener('click', () => void loadAudit());
