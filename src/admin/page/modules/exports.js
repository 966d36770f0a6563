// @ts-check
/* Trợ lý Công vụ, administration page: the CSV export buttons (data-export="<name>"), which
 * download /admin/api/export/<name>.csv with the officer's credentials. */
import { el } from '../../../lib/browser/dom.js';
import { API, ApiError, authHeaders, credentials, fail, unauthorized } from './api.js';
import { notify } from './ui.js';

/** Downloads one export. @param {HTMLButtonElement} button @param {string} name */
async function download(button, name) {
  button.disabled = true;
  try {
    const res = await fetch(API + '/export/' + name + '.csv', {
      headers: authHeaders({}),
      credentials: credentials(),
      cache: 'no-store',
    });
    if (res.status === 401) {
      unauthorized();
      throw new ApiError(401, '');
    }
    if (!res.ok) throw new ApiError(res.status, 'Máy chủ báo lỗi (HTTP ' + res.status + ').');
    const m = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
    const file = m?.[1] ?? name + '.csv';
    const blob = await res.blob();
    const a = el('a', { href: URL.createObjectURL(blob), download: file });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    notify('Đã tải tệp ' + file + '.', 'ok');
  } catch (err) {
    fail(err);
  } finally {
    button.disabled = false;
  }
}

for (const button of document.querySelectorAll('[data-export]')) {
  if (!(button instanceof HTMLButtonElement)) continue;
  button.addEventListener('click', () => void download(button, button.getAttribute('data-export') ?? ''));
}
