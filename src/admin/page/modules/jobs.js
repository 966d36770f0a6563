// @ts-check
/* Trợ lý Công vụ, administration page: re-index jobs. Starting one (the re-index tab, the pending
 * banner, an upload), and following its progress through its Server-Sent Events (read with the
 * shared stream reader, as EventSource cannot send the token), or by polling when the stream is
 * unavailable or cut. */
import { $, el } from '../../../lib/browser/dom.js';
import { readEventStream } from '../../../lib/browser/sse.js';
import { API, api, authHeaders, credentials, errorText, fail, request, unauthorized } from './api.js';
import { CONFLICT, PHASE } from './labels.js';
import { reloadCurrentTab, selectTab } from './tabs.js';
import { notify, showPending, vnTime } from './ui.js';

const POLL_MS = 500;

/** @typedef {{ path: string, reason?: string, message?: string, code?: string }} FileIssue */

/**
 * What a finished job did.
 * @typedef {{
 *   added: unknown[], updated: unknown[], unchanged: unknown[], failed: FileIssue[], skipped?: FileIssue[],
 *   warnings?: { message: string }[], snapshotId?: string, documents?: number, chunks?: number, buildMs: number,
 * }} JobReport
 */

/**
 * A re-index job (GET /admin/api/reindex/:id).
 * @typedef {{
 *   id: string, kind: 'full' | 'incremental' | string, state: 'running' | 'succeeded' | 'failed' | string,
 *   phase?: string, done: number, total: number, file?: string, startedAt: string, error?: string, report?: JobReport,
 * }} Job
 */

/** The job being followed. @typedef {{ ctrl: AbortController, job: Job, boxes: HTMLElement[], ended: boolean }} Watcher */

/** @type {Watcher | null} */
let watcher = null;

/** Stops following the job (its boxes stay as they are). */
export function stopWatching() {
  if (watcher) watcher.ctrl.abort();
  watcher = null;
  setReindexBusy(false);
}

/** @param {boolean} busy */
function setReindexBusy(busy) {
  $('reindex-incremental', HTMLButtonElement).disabled = busy;
  $('reindex-full', HTMLButtonElement).disabled = busy;
  $('pending-reindex', HTMLButtonElement).disabled = busy;
}

/** Shows `job` in `box`: its phase, a progress bar, and once over its report. @param {HTMLElement} box @param {Job} job */
function renderJob(box, job) {
  box.hidden = false;
  box.setAttribute('data-state', job.state);
  box.setAttribute('data-job', job.id);
  const phase = (job.phase && PHASE[job.phase]) || job.phase || '';
  const barId = box.id + '-bar';
  const title = el('h3', {
    text:
      (job.kind === 'full' ? 'Xây dựng lại toàn bộ' : 'Lập chỉ mục lại') +
      ' · bắt đầu ' +
      vnTime(job.startedAt),
  });
  const stateText =
    job.state === 'running' ? 'Đang chạy: ' + phase : job.state === 'succeeded' ? 'Hoàn tất' : 'Thất bại';
  const count = job.state === 'running' && job.total > 0 ? ' (' + job.done + '/' + job.total + ')' : '';
  const stateLine = el('p', { className: 'phase', 'data-phase': job.phase, text: stateText + count });
  const bar = el('progress', { id: barId, max: job.total > 0 ? job.total : 1 });
  if (job.state !== 'running') bar.value = bar.max;
  else if (job.total > 0) bar.value = Math.min(job.done, job.total);
  // else: indeterminate (no value) while the phase has no count yet
  const barLabel = el('label', { for: barId, className: 'visually-hidden', text: 'Tiến độ lập chỉ mục' });
  /** @type {HTMLElement[]} */
  const parts = [
    title,
    stateLine,
    barLabel,
    bar,
    el('p', { className: 'file-now', text: job.state === 'running' && job.file ? job.file : '' }),
  ];

  if (job.state === 'failed')
    parts.push(el('p', { className: 'error', text: 'Lỗi: ' + (job.error || 'không rõ') }));
  const rep = job.report;
  if (rep) {
    const report = el('div', { className: 'report' });
    report.append(
      el('ul', { className: 'counts', 'aria-label': 'Kết quả theo tệp' }, [
        el('li', { text: 'Thêm mới: ' + rep.added.length }),
        el('li', { text: 'Cập nhật: ' + rep.updated.length }),
        el('li', { text: 'Không đổi: ' + rep.unchanged.length }),
        el('li', { text: 'Lỗi: ' + rep.failed.length }),
        el('li', { text: 'Bỏ qua: ' + (rep.skipped || []).length }),
      ]),
    );
    report.append(
      el('p', {
        text: rep.snapshotId
          ? 'Bản chỉ mục mới ' +
            rep.snapshotId +
            ': ' +
            rep.documents +
            ' văn bản, ' +
            rep.chunks +
            ' đoạn (' +
            (rep.buildMs / 1000).toFixed(1) +
            ' giây).'
          : 'Không có thay đổi nào; giữ nguyên bản chỉ mục đang phục vụ.',
      }),
    );
    fileList(report, 'Các tệp lỗi:', 'failed-files', rep.failed, (f) => [
      el('code', { text: f.path }),
      ': ' + (f.reason || f.message) + (f.code ? ' (' + f.code + ')' : ''),
    ]);
    fileList(report, 'Các tệp bỏ qua:', 'skipped-files', rep.skipped || [], (f) => [
      el('code', { text: f.path }),
      ': ' + f.reason,
    ]);
    fileList(report, 'Cần kiểm tra:', 'warning-files', rep.warnings || [], (w) => [w.message]);
    parts.push(report);
  }
  box.replaceChildren(...parts);
}

/**
 * Appends a titled list of files (failed, skipped, warnings) to a job report when there are any.
 * @template T
 * @param {HTMLElement} report
 * @param {string} title
 * @param {string} className
 * @param {T[]} items
 * @param {(item: T) => (Node | string)[]} render
 */
function fileList(report, title, className, items, render) {
  if (!items.length) return;
  report.append(
    el('p', { text: title }),
    el(
      'ul',
      { className },
      items.map((item) => el('li', null, render(item))),
    ),
  );
}

/** Resolves after `ms`, or at once when `signal` aborts. @param {number} ms @param {AbortSignal} signal */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve(undefined);
    });
  });
}

/**
 * Shows a job's progress (in the re-index panel, and the upload panel when it came from there)
 * until it ends.
 * @param {Job} job
 * @param {boolean} fromUpload
 */
export function watchJob(job, fromUpload) {
  if (watcher) watcher.ctrl.abort();
  const boxes = [$('reindex-job')];
  if (fromUpload) boxes.push($('upload-job'));
  else $('upload-job').hidden = true;
  /** @type {Watcher} */
  const w = { ctrl: new AbortController(), job, boxes, ended: false };
  watcher = w;
  setReindexBusy(true);
  /** @param {Job} j */
  const update = (j) => {
    if (w.ctrl.signal.aborted && w !== watcher) return;
    w.job = j;
    for (const b of boxes) renderJob(b, j);
    if (j.state !== 'running' && !w.ended) {
      w.ended = true;
      jobEnded(j);
    }
  };
  if (job.state !== 'running') {
    // Already over (e.g. the job named by a 409): show it without announcing its end again.
    w.ended = true;
    update(job);
    setReindexBusy(false);
    return;
  }
  update(job);
  followEvents(w, update)
    .catch(() => {
      /* fall back to polling below */
    })
    .then(() => {
      if (!w.ended && !w.ctrl.signal.aborted) return poll(w, update);
    })
    .catch((err) => {
      if (!w.ctrl.signal.aborted) fail(err);
    });
}

/**
 * Reads the job's Server-Sent Events until it ends; rejects when there is no stream.
 * @param {Watcher} w
 * @param {(job: Job) => void} update
 */
async function followEvents(w, update) {
  const res = await fetch(API + '/reindex/' + encodeURIComponent(w.job.id) + '/events', {
    headers: authHeaders({ Accept: 'text/event-stream' }),
    cache: 'no-store',
    credentials: credentials(),
    signal: w.ctrl.signal,
  });
  if (res.status === 401) {
    unauthorized();
    return;
  }
  if (!res.ok || !res.body) throw new Error('no event stream');
  await readEventStream(res, ({ data }) => {
    /** @type {Job} */
    let j;
    try {
      j = JSON.parse(data);
    } catch {
      return;
    }
    update(j);
    if (j.state !== 'running') return false;
  });
}

/**
 * Polls the job every 500 ms (when the event stream is unavailable or was cut).
 * @param {Watcher} w
 * @param {(job: Job) => void} update
 */
async function poll(w, update) {
  while (!w.ended && !w.ctrl.signal.aborted) {
    const r = await request('GET', '/reindex/' + encodeURIComponent(w.job.id));
    update(r.data.job);
    if (w.ended) return;
    await sleep(POLL_MS, w.ctrl.signal);
  }
}

/** Announces the end of the job followed, and reloads the open tab. @param {Job} job */
function jobEnded(job) {
  setReindexBusy(false);
  if (job.state === 'succeeded') {
    const rep = job.report;
    const failed = rep?.failed ? rep.failed.length : 0;
    notify(
      (rep?.snapshotId
        ? 'Lập chỉ mục xong: bản ' + rep.snapshotId + ' đang phục vụ.'
        : 'Lập chỉ mục xong: không có thay đổi nào.') +
        (failed ? ' ' + failed + ' tệp lỗi, xem chi tiết trong mục Lập chỉ mục.' : ''),
      failed ? 'error' : 'ok',
    );
    showPending(false);
  } else {
    notify(
      'Lập chỉ mục thất bại: ' + (job.error || 'không rõ lỗi') + '. Bản chỉ mục đang phục vụ không thay đổi.',
      'error',
    );
  }
  reloadCurrentTab();
}

/** Starts a re-index (`full`: rebuild everything), or follows the one already running. @param {boolean} full */
export async function startReindex(full) {
  setReindexBusy(true);
  try {
    const r = await api('POST', '/reindex', { full });
    if (r.status === 202 && r.data && r.data.job) {
      notify(full ? 'Đã bắt đầu xây dựng lại toàn bộ.' : 'Đã bắt đầu lập chỉ mục lại.');
      watchJob(r.data.job, false);
      return;
    }
    if (r.status === 409) {
      notify(CONFLICT + '; đang hiển thị tiến độ của lần đó.', 'error');
      if (r.data && r.data.jobId) {
        const j = await request('GET', '/reindex/' + encodeURIComponent(r.data.jobId));
        watchJob(j.data.job, false);
        return;
      }
      setReindexBusy(false);
      return;
    }
    setReindexBusy(false);
    notify('Không bắt đầu được: ' + errorText(r.status, r.data), 'error');
  } catch (err) {
    setReindexBusy(false);
    fail(err);
  }
}

$('reindex-incremental').addEventListener('click', () => void startReindex(false));
$('reindex-full').addEventListener('click', () => void startReindex(true));
$('pending-reindex').addEventListener('click', () => {
  selectTab('reindex', true);
  void startReindex(false);
});

window.addEventListener('pagehide', () => {
  if (watcher) watcher.ctrl.abort();
});
