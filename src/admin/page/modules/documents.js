// @ts-check
/* Trợ lý Công vụ, administration page: the documents tab (filters, quick search, the table) and the
 * edit dialog. Edits and deletions are recorded at once and take effect at the next re-index. */
import { $, el } from '../../../lib/browser/dom.js';
import { fail, isUnauthorized, may, messageOf, request } from './api.js';
import { AFTER_REINDEX, AUDIENCE, KIND, STATUS, STATUS_TONE } from './labels.js';
import { badge, cut, fold, notify, setRows, showPending, vnDate } from './ui.js';

/**
 * The fields of a document an officer may change.
 * @typedef {{ status?: string, audience?: string, effectiveDate?: string, expiryDate?: string, replaces?: string[] }} DocFields
 */

/**
 * A document as GET /admin/api/documents lists it.
 * @typedef {DocFields & {
 *   id: string, title: string, number?: string, kind: string, docType?: string, status: string,
 *   audience: string, chunks: number, source: string, uploaded?: boolean, unnumbered?: boolean,
 *   annexOf?: string, scannedPages?: number[], lowConfidencePages?: { page: number, confidence: number }[],
 *   pendingEdit?: DocFields & { deleted?: boolean },
 * }} Doc
 */

/** @type {Doc[]} */
let docs = [];
let docSnapshot = '';
let docSeq = 0;

const table = $('doc-table', HTMLTableElement);
const summary = $('doc-summary');
const filterText = $('filter-text', HTMLInputElement);
const FILTERS = ['kind', 'status', 'audience'];
/** @param {string} k */
const filter = (k) => $('filter-' + k, HTMLSelectElement);

/** The document as it will be after the next re-index (its recorded edit applied). @param {Doc} d @returns {Doc} */
function effective(d) {
  return { ...d, ...(d.pendingEdit || {}) };
}

/** Labels of the recorded edits the serving index does not show yet. @param {Doc} d */
function pendingOf(d) {
  const p = d.pendingEdit;
  if (!p) return [];
  const out = [];
  if (p.deleted) out.push('xóa');
  if (p.status && p.status !== d.status) out.push('hiệu lực → ' + (STATUS[p.status] || p.status));
  if (p.audience && p.audience !== d.audience)
    out.push('đối tượng → ' + (AUDIENCE[p.audience] || p.audience));
  if (p.effectiveDate && p.effectiveDate !== d.effectiveDate)
    out.push('có hiệu lực từ ' + vnDate(p.effectiveDate));
  if (p.expiryDate && p.expiryDate !== d.expiryDate) out.push('hết hiệu lực từ ' + vnDate(p.expiryDate));
  if (p.replaces && p.replaces.join(',') !== (d.replaces || []).join(','))
    out.push('thay thế: ' + (p.replaces.join(', ') || '(không)'));
  return out;
}

/** Loads the list with the server-side filters (a later call wins over an earlier one). */
export async function loadDocuments() {
  const seq = ++docSeq;
  const q = new URLSearchParams();
  for (const k of FILTERS) {
    const v = filter(k).value;
    if (v) q.set(k, v);
  }
  table.setAttribute('aria-busy', 'true');
  summary.textContent = 'Đang tải danh sách văn bản…';
  const qs = q.toString();
  try {
    const r = await request('GET', '/documents' + (qs ? '?' + qs : ''));
    if (seq !== docSeq) return;
    docs = r.data.documents || [];
    docSnapshot = r.data.snapshot || '';
    renderDocuments();
  } catch (err) {
    if (seq !== docSeq) return;
    summary.textContent = '';
    fail(err);
  } finally {
    if (seq === docSeq) table.removeAttribute('aria-busy');
  }
}

function renderDocuments() {
  const needle = fold(filterText.value.trim());
  const shown = needle
    ? docs.filter((d) => fold(d.title + ' ' + (d.number || '') + ' ' + d.id).indexOf(needle) >= 0)
    : docs;
  setRows(table, shown.map(docRow), 8, 'Không có văn bản nào phù hợp.');
  summary.textContent =
    'Hiển thị ' +
    shown.length +
    ' / ' +
    docs.length +
    ' văn bản' +
    (docSnapshot ? ' · bản chỉ mục đang phục vụ: ' + docSnapshot : '');
  if (docs.some((d) => pendingOf(d).length > 0)) showPending(true);
}

/** Empties the tab (on signing out: nothing read with the credentials stays on screen). */
export function resetDocuments() {
  docs = [];
  summary.textContent = '';
  const dialog = $('edit-dialog', HTMLDialogElement);
  if (dialog.open) dialog.close();
}

/** @param {Doc} d */
function docRow(d) {
  const pending = pendingOf(d);
  const titleCell = el('td', { className: 'title' }, [el('span', { className: 'doc-title', text: d.title })]);
  if (d.uploaded) titleCell.append(' ', badge('Tải lên', 'info'));
  if (d.scannedPages && d.scannedPages.length) titleCell.append(' ', badge('Bản quét (OCR)', 'info'));
  if (d.unnumbered) titleCell.append(' ', badge('Chưa có số', 'warn'));
  if (d.annexOf) titleCell.append(el('span', { className: 'sub', text: 'Phụ lục của ' + d.annexOf }));
  if (d.lowConfidencePages && d.lowConfidencePages.length) {
    const doubtful = d.lowConfidencePages
      .map((p) => 'trang ' + p.page + ' (' + p.confidence + '%)')
      .join(', ');
    titleCell.append(
      ' ',
      badge('Cần kiểm tra OCR', 'warn'),
      el('span', { className: 'sub', text: 'Nhận dạng chữ kém tin cậy: ' + doubtful }),
    );
  }
  if (pending.length) {
    const tag = badge(d.pendingEdit && d.pendingEdit.deleted ? 'Chờ xóa' : 'Chờ lập chỉ mục', 'warn');
    tag.setAttribute('title', 'Sau khi lập chỉ mục lại: ' + pending.join('; '));
    titleCell.append(
      ' ',
      tag,
      el('span', { className: 'sub', text: 'Sau khi lập chỉ mục lại: ' + pending.join('; ') }),
    );
  }

  const statusCell = el('td', null, [badge(STATUS[d.status] || d.status, STATUS_TONE[d.status])]);
  if (d.effectiveDate)
    statusCell.append(el('span', { className: 'sub', text: 'Có hiệu lực từ ' + vnDate(d.effectiveDate) }));
  if (d.expiryDate)
    statusCell.append(el('span', { className: 'sub', text: 'Hết hiệu lực từ ' + vnDate(d.expiryDate) }));
  if (d.replaces && d.replaces.length)
    statusCell.append(el('span', { className: 'sub', text: 'Thay thế: ' + d.replaces.join(', ') }));

  const typeCell = el('td', { className: 'type' }, [d.docType || KIND[d.kind] || d.kind]);
  if (d.docType && d.docType !== KIND[d.kind])
    typeCell.append(el('span', { className: 'sub', text: KIND[d.kind] || d.kind }));

  const label = '“' + cut(d.title, 80) + '”';
  const edit = el('button', {
    type: 'button',
    className: 'secondary small',
    'data-action': 'edit',
    'data-id': d.id,
    'aria-label': 'Sửa ' + label,
    text: 'Sửa',
    onClick: () => openEdit(d),
  });
  const del = el('button', {
    type: 'button',
    className: 'danger small',
    'data-action': 'delete',
    'data-id': d.id,
    'aria-label': 'Xóa ' + label,
    text: 'Xóa',
    onClick: () => void deleteDocument(d),
  });

  return el('tr', { 'data-id': d.id }, [
    titleCell,
    el('td', { text: d.number || d.id }),
    typeCell,
    statusCell,
    el('td', { text: AUDIENCE[d.audience] || d.audience }),
    el('td', { className: 'num', text: d.chunks }),
    // An uploaded file is shown by its name (its folder is the server's); the full path on hover.
    el('td', {
      className: 'source',
      title: d.source,
      text: d.uploaded ? d.source.split(/[\\/]/).pop() : d.source,
    }),
    el('td', { className: 'ops' }, may('documents:write') ? [edit, del] : []),
  ]);
}

for (const k of FILTERS) filter(k).addEventListener('change', () => void loadDocuments());
filterText.addEventListener('input', () => renderDocuments());
$('doc-filters', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  void loadDocuments();
});

/** @param {string} id @param {string} action */
function focusDocButton(id, action) {
  const b = document.querySelector(`#doc-table button[data-action="${action}"][data-id="${CSS.escape(id)}"]`);
  if (b instanceof HTMLElement) b.focus();
}

// ---- the edit dialog ---------------------------------------------------------------------------
const dialog = $('edit-dialog', HTMLDialogElement);
const editStatus = $('edit-status', HTMLSelectElement);
const editAudience = $('edit-audience', HTMLSelectElement);
const editEffective = $('edit-effective', HTMLInputElement);
const editExpiry = $('edit-expiry', HTMLInputElement);
const editReplaces = $('edit-replaces', HTMLInputElement);
const editError = $('edit-error');
const editSave = $('edit-save', HTMLButtonElement);

/** The document in the dialog, and its fields as they will be after the next re-index. @type {{ doc: Doc, cur: Doc } | null} */
let editing = null;

/** @param {Doc} d */
function openEdit(d) {
  const cur = effective(d);
  editing = { doc: d, cur };
  $('edit-doc').textContent = d.title + ' (' + (d.number || d.id) + ')';
  editStatus.value = cur.status;
  editAudience.value = cur.audience;
  editEffective.value = cur.effectiveDate || '';
  editExpiry.value = cur.expiryDate || '';
  editReplaces.value = (cur.replaces || []).join(', ');
  editError.textContent = '';
  editSave.disabled = false;
  dialog.showModal();
  editStatus.focus();
}

/** "a, b; c" → ["a", "b", "c"]. @param {string} s */
function splitList(s) {
  return s
    .split(/[,;\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

$('edit-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  if (!editing) return;
  const d = editing.doc;
  const cur = editing.cur;
  /** @type {DocFields} */
  const patch = {};
  const status = editStatus.value;
  const audience = editAudience.value;
  const eff = editEffective.value;
  const exp = editExpiry.value;
  const replaces = splitList(editReplaces.value);
  if (status !== cur.status) patch.status = status;
  if (audience !== cur.audience) patch.audience = audience;
  if ((!eff && cur.effectiveDate) || (!exp && cur.expiryDate)) {
    editError.textContent = 'Chưa thể xóa một ngày đã đặt; hãy nhập ngày mới.';
    return;
  }
  if (eff && eff !== cur.effectiveDate) patch.effectiveDate = eff;
  if (exp && exp !== cur.expiryDate) patch.expiryDate = exp;
  if (eff && exp && exp < eff) {
    editError.textContent = 'Ngày hết hiệu lực phải sau ngày có hiệu lực.';
    return;
  }
  if (replaces.join(',') !== (cur.replaces || []).join(',')) patch.replaces = replaces;
  if (Object.keys(patch).length === 0) {
    dialog.close();
    notify('Không có thay đổi nào.');
    return;
  }
  editSave.disabled = true;
  void (async () => {
    try {
      await request('PATCH', '/documents/' + encodeURIComponent(d.id), patch);
      editing = null;
      dialog.close();
      notify('Đã lưu thay đổi cho “' + d.title + '”. ' + AFTER_REINDEX, 'ok');
      showPending(true);
      await loadDocuments();
      focusDocButton(d.id, 'edit');
    } catch (err) {
      if (!isUnauthorized(err)) editError.textContent = messageOf(err);
    } finally {
      editSave.disabled = false;
    }
  })();
});

$('edit-cancel').addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  if (editing) focusDocButton(editing.doc.id, 'edit');
  editing = null;
});

/** @param {Doc} d */
async function deleteDocument(d) {
  const what = d.uploaded ? 'Tệp đã tải lên chứa văn bản này sẽ bị xóa.' : 'Văn bản sẽ bị loại khỏi chỉ mục.';
  if (!confirm('Xóa “' + d.title + '” (' + (d.number || d.id) + ')?\n' + what + '\n' + AFTER_REINDEX)) return;
  try {
    await request('DELETE', '/documents/' + encodeURIComponent(d.id));
    notify('Đã xóa “' + d.title + '”. ' + AFTER_REINDEX, 'ok');
    showPending(true);
    await loadDocuments();
  } catch (err) {
    fail(err);
  }
}
