// @ts-check
/* Trợ lý Công vụ, administration page: the snapshots tab (the index versions kept, and restoring one). */
import { $, el } from '../../../lib/browser/dom.js';
import { api, errorText, fail, may, request } from './api.js';
import { CONFLICT } from './labels.js';
import { badge, notify, setRows, vnTime } from './ui.js';

/**
 * An index snapshot (GET /admin/api/snapshots).
 * @typedef {{ id: string, createdAt: string, active?: boolean, counts?: { sources?: number, documents?: number, chunks?: number } }} Snapshot
 */

const table = $('snapshot-table', HTMLTableElement);
let snapSeq = 0;

/** Loads the list (a later call wins over an earlier one). */
export async function loadSnapshots() {
  const seq = ++snapSeq;
  table.setAttribute('aria-busy', 'true');
  try {
    const r = await request('GET', '/snapshots');
    if (seq !== snapSeq) return;
    /** @type {string} */
    const serving = r.data.serving;
    /** @type {Snapshot[]} */
    const list = (r.data.snapshots || [])
      .slice()
      .sort((/** @type {Snapshot} */ a, /** @type {Snapshot} */ b) =>
        a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0,
      );
    $('snapshot-summary').textContent =
      list.length + ' bản chỉ mục' + (serving ? ' · đang phục vụ: ' + serving : '');
    setRows(
      table,
      list.map((s) => snapshotRow(s, s.id === serving)),
      7,
      'Chưa có bản chỉ mục nào.',
    );
  } catch (err) {
    if (seq === snapSeq) fail(err);
  } finally {
    if (seq === snapSeq) table.removeAttribute('aria-busy');
  }
}

/** @param {Snapshot} s @param {boolean} isServing */
function snapshotRow(s, isServing) {
  const state = el('td');
  if (isServing) state.append(badge('Đang phục vụ', 'ok'));
  else if (s.active) state.append(badge('Được chọn', 'info'));
  else state.append(badge('Lưu trữ', 'muted'));
  const ops = el('td', { className: 'ops' });
  if (!isServing && may('snapshots:activate')) {
    ops.append(
      el('button', {
        type: 'button',
        className: 'secondary small',
        'data-snapshot': s.id,
        'aria-label': 'Khôi phục bản ' + s.id,
        text: 'Khôi phục',
        onClick: () => void activateSnapshot(s),
      }),
    );
  }
  const c = s.counts || {};
  return el('tr', { 'data-snapshot': s.id, 'data-serving': isServing ? 'true' : 'false' }, [
    el('td', null, [el('code', { text: s.id })]),
    el('td', { text: vnTime(s.createdAt) }),
    el('td', { className: 'num', text: c.sources != null ? c.sources : '' }),
    el('td', { className: 'num', text: c.documents != null ? c.documents : '' }),
    el('td', { className: 'num', text: c.chunks != null ? c.chunks : '' }),
    state,
    ops,
  ]);
}

/** Empties the tab (on signing out). */
export function resetSnapshots() {
  $('snapshot-summary').textContent = '';
}

/** @param {Snapshot} s */
async function activateSnapshot(s) {
  if (
    !confirm(
      'Khôi phục bản chỉ mục ' +
        s.id +
        ' (tạo lúc ' +
        vnTime(s.createdAt) +
        ')?\nTrợ lý sẽ trả lời theo bản này ngay lập tức.',
    )
  )
    return;
  try {
    const r = await api('POST', '/snapshots/' + encodeURIComponent(s.id) + '/activate');
    if (r.ok) {
      notify((r.data && r.data.message) || 'Đang phục vụ bản chỉ mục ' + s.id + '.', 'ok');
    } else if (r.status === 409) {
      notify(CONFLICT + '; hãy khôi phục sau khi lần đó xong.', 'error');
    } else {
      notify('Không khôi phục được: ' + errorText(r.status, r.data), 'error');
    }
    await loadSnapshots();
  } catch (err) {
    fail(err);
  }
}
