// @ts-check
/* Trợ lý Công vụ, administration page: the upload tab. Files go up with XMLHttpRequest (fetch
 * reports no upload progress); the answer lists each file's fate, and the re-index it started. */
import { $, el } from '../../../lib/browser/dom.js';
import { API, authHeaders, errorText, unauthorized } from './api.js';
import { watchJob } from './jobs.js';
import { CONFLICT, KIND, NET_ERROR, UPLOAD_STATUS } from './labels.js';
import { badge, notify, showPending } from './ui.js';

const MAX_FILES = 20;

/**
 * What became of one uploaded file.
 * @typedef {{ name: string, status: string, reason?: string, documents?: { title: string, kind: string, chunks: number }[] }} UploadResult
 */

let uploading = false;

/** Empties the tab's results (on signing out). */
export function resetUpload() {
  $('upload-results').replaceChildren();
  $('upload-message').textContent = '';
}

/** @param {UploadResult[]} results */
function renderUploadResults(results) {
  const list = $('upload-results');
  list.replaceChildren();
  for (const r of results) {
    const [label, tone] = UPLOAD_STATUS[r.status] || [r.status, 'muted'];
    const li = el('li', { 'data-status': r.status }, [
      el('span', { className: 'file', text: r.name }),
      badge(label, tone),
    ]);
    if (r.reason) li.append(el('span', { className: 'reason', text: 'Lý do: ' + r.reason }));
    if (r.documents && r.documents.length) {
      li.append(
        el(
          'ul',
          { 'aria-label': 'Văn bản tìm thấy trong ' + r.name },
          r.documents.map((doc) =>
            el('li', null, [
              el('span', { className: 'doc-title', text: doc.title }),
              ' · ' + (KIND[doc.kind] || doc.kind) + ' · ' + doc.chunks + ' đoạn',
            ]),
          ),
        ),
      );
    }
    list.append(li);
  }
}

/** The upload form's fields sent with the files: form field → element id. @type {[string, string][]} */
const FIELDS = [
  ['audience', 'upload-audience'],
  ['status', 'upload-status'],
  ['effectiveDate', 'upload-effective'],
  ['expiryDate', 'upload-expiry'],
  ['replaces', 'upload-replaces'],
];

$('upload-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  if (uploading) return;
  const input = $('upload-files', HTMLInputElement);
  const files = input.files;
  if (!files || files.length === 0) {
    notify('Hãy chọn ít nhất một tệp.', 'error');
    input.focus();
    return;
  }
  if (files.length > MAX_FILES) {
    notify('Mỗi lần tải lên tối đa ' + MAX_FILES + ' tệp.', 'error');
    input.focus();
    return;
  }
  const form = new FormData();
  for (const [name, id] of FIELDS) {
    const field = /** @type {HTMLInputElement | HTMLSelectElement} */ ($(id));
    const v = field.value.trim();
    if (v) form.append(name, v);
  }
  for (const f of Array.from(files)) form.append('file', f, f.name);
  const reindexNow = $('upload-reindex', HTMLInputElement).checked;

  const box = $('upload-progress-box');
  const bar = $('upload-progress', HTMLProgressElement);
  const label = $('upload-progress-label');
  const submit = $('upload-submit', HTMLButtonElement);
  box.hidden = false;
  bar.value = 0;
  label.textContent = 'Đang tải lên ' + files.length + ' tệp… 0%';
  resetUpload();
  uploading = true;
  submit.disabled = true;
  notify('Đang tải lên ' + files.length + ' tệp…');

  const xhr = new XMLHttpRequest();
  xhr.open('POST', API + '/documents' + (reindexNow ? '?reindex=1' : ''));
  for (const [k, v] of Object.entries(authHeaders({}))) xhr.setRequestHeader(k, v);
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.responseType = 'json';
  xhr.upload.onprogress = (ev) => {
    if (!ev.lengthComputable) return;
    const pct = Math.round((ev.loaded / ev.total) * 100);
    bar.value = pct;
    label.textContent = 'Đang tải lên ' + files.length + ' tệp… ' + pct + '%';
  };
  xhr.upload.onload = () => {
    bar.value = 100;
    label.textContent = 'Đã gửi xong; máy chủ đang kiểm tra tệp…';
  };
  const finish = () => {
    uploading = false;
    submit.disabled = false;
  };
  xhr.onerror = () => {
    finish();
    box.hidden = true;
    notify(NET_ERROR, 'error');
  };
  xhr.onload = () => {
    finish();
    /** @type {{ results?: UploadResult[], message?: string, job?: import('./jobs.js').Job } | null} */
    const data = xhr.response;
    if (xhr.status === 401) {
      unauthorized();
      return;
    }
    bar.value = 100;
    label.textContent = 'Tải lên xong.';
    if (data && Array.isArray(data.results)) {
      renderUploadResults(data.results);
      $('upload-message').textContent = data.message || '';
      const stored = data.results.filter((r) => r.status === 'stored' || r.status === 'replaced').length;
      const failed = data.results.filter((r) => r.status === 'failed').length;
      const summary =
        'Tải lên: ' +
        stored +
        ' tệp được lưu' +
        (failed ? ', ' + failed + ' tệp không nhận' : '') +
        '. ' +
        (data.message || '');
      notify(summary, failed && !stored ? 'error' : 'ok');
      if (stored) input.value = '';
      if (data.job) watchJob(data.job, true);
      else if (stored) showPending(true);
      return;
    }
    if (xhr.status === 409) {
      // The files were stored, but another re-index was running.
      notify(
        'Đã lưu tệp, nhưng ' +
          CONFLICT.charAt(0).toLowerCase() +
          CONFLICT.slice(1) +
          '. Hãy lập chỉ mục lại khi lần đó xong.',
        'error',
      );
      input.value = '';
      showPending(true);
      return;
    }
    notify('Không tải lên được: ' + errorText(xhr.status, data), 'error');
  };
  xhr.send(form);
});
