// @ts-check
/* Trợ lý Công vụ, administration page: signing in (an account, or the admin token) and out, and
 * showing only what the officer's role may do. */
import { $ } from '../../../lib/browser/dom.js';
import {
  API,
  ApiError,
  api,
  clearCredentials,
  currentOfficer,
  currentToken,
  errorText,
  fetchJson,
  isUnauthorized,
  keepToken,
  may,
  messageOf,
  setOfficer,
  setToken,
  setUnauthorizedHandler,
} from './api.js';
import { resetDocuments } from './documents.js';
import { stopWatching } from './jobs.js';
import { WRONG_TOKEN } from './labels.js';
import { resetSnapshots } from './snapshots.js';
import { selectTab, tabName, visibleTabs } from './tabs.js';
import { notify, showPending } from './ui.js';
import { resetUpload } from './upload.js';

const username = $('username', HTMLInputElement);
const password = $('password', HTMLInputElement);
const tokenInput = $('token', HTMLInputElement);
const accountError = $('account-error');
const loginError = $('login-error');

/**
 * The sign-in form; an error about the token shows under the token form, any other under the
 * account form.
 * @param {string} error
 */
export function showLogin(error) {
  $('app').hidden = true;
  $('signout').hidden = true;
  $('whoami').hidden = true;
  $('login').hidden = false;
  const aboutToken = error === WRONG_TOKEN;
  loginError.textContent = aboutToken ? error : '';
  accountError.textContent = aboutToken ? '' : error || '';
  tokenInput.value = '';
  password.value = '';
  if (aboutToken) {
    $('token-login', HTMLDetailsElement).open = true;
    tokenInput.focus();
  } else username.focus();
}

/** Forgets the credentials, and clears what was read with them. */
function forget() {
  clearCredentials();
  stopWatching();
  // Nothing read with the token stays on screen.
  for (const id of ['doc-table', 'snapshot-table', 'gap-table', 'feedback-table', 'audit-table']) {
    $(id, HTMLTableElement).tBodies[0]?.replaceChildren();
  }
  resetDocuments();
  resetSnapshots();
  resetUpload();
  for (const id of ['upload-job', 'reindex-job']) {
    $(id).replaceChildren();
    $(id).hidden = true;
  }
  showPending(false);
}

/** After a 401: signs out, saying `why` when the page was signed in. @param {string} why */
function unauthorized(why) {
  const wasIn = currentToken() !== '' || currentOfficer() !== null;
  forget();
  notify('');
  showLogin(wasIn ? why : '');
}
setUnauthorizedHandler(unauthorized);

/** Shows or hides what needs a permission (tabs, buttons marked data-needs). */
function applyPermissions() {
  for (const node of document.querySelectorAll('[data-needs]')) {
    if (node instanceof HTMLElement) node.hidden = !may(node.getAttribute('data-needs'));
  }
}

/** Enters the page as `me` (GET /admin/api/me). @param {import('./api.js').Officer} me */
export function enterApp(me) {
  setOfficer(me);
  $('whoami').textContent = (me.via === 'token' ? 'Mã quản trị' : me.username) + ' · ' + me.roleLabel;
  $('whoami').hidden = false;
  applyPermissions();
  $('login').hidden = true;
  loginError.textContent = '';
  accountError.textContent = '';
  $('app').hidden = false;
  $('signout').hidden = false;
  const fromHash = location.hash.replace(/^#/, '');
  const allowed = visibleTabs().map(tabName);
  selectTab(allowed.indexOf(fromHash) >= 0 ? fromHash : 'documents', false);
  $('main').focus();
}

$('account-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  const name = username.value.trim();
  const secret = password.value;
  if (!name || !secret) {
    accountError.textContent = 'Hãy nhập tên đăng nhập và mật khẩu.';
    (name ? password : username).focus();
    return;
  }
  const submit = $('account-submit', HTMLButtonElement);
  submit.disabled = true;
  accountError.textContent = '';
  void (async () => {
    try {
      const { res, data } = await fetchJson(API + '/login', {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'X-Requested-With': 'XMLHttpRequest',
        },
        body: JSON.stringify({ username: name, password: secret }),
        cache: 'no-store',
        credentials: 'same-origin',
      });
      if (res.status !== 200) {
        password.value = '';
        accountError.textContent = errorText(res.status, data);
        password.focus();
        return;
      }
      setToken('');
      password.value = '';
      notify('Đã đăng nhập.', 'ok');
      enterApp(data);
    } catch (err) {
      accountError.textContent = messageOf(err);
    } finally {
      submit.disabled = false;
    }
  })();
});

$('login-form', HTMLFormElement).addEventListener('submit', (e) => {
  e.preventDefault();
  const value = tokenInput.value.trim();
  if (!value) {
    loginError.textContent = 'Hãy nhập mã quản trị.';
    tokenInput.focus();
    return;
  }
  setToken(value);
  const submit = $('login-submit', HTMLButtonElement);
  submit.disabled = true;
  loginError.textContent = '';
  void (async () => {
    try {
      const r = await api('GET', '/me');
      if (!r.ok) throw new ApiError(r.status, errorText(r.status, r.data));
      keepToken();
      notify('Đã đăng nhập.', 'ok');
      enterApp(r.data);
    } catch (err) {
      if (isUnauthorized(err)) {
        showLogin(WRONG_TOKEN);
        return;
      }
      setToken('');
      loginError.textContent = messageOf(err);
    } finally {
      submit.disabled = false;
    }
  })();
});

$('signout').addEventListener('click', () => {
  const session = currentOfficer()?.via === 'session';
  forget();
  showLogin('');
  notify('Đã đăng xuất.');
  // The server ends the session and clears the cookie; the page is signed out either way.
  if (session) {
    fetch(API + '/logout', {
      method: 'POST',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
      credentials: 'same-origin',
      cache: 'no-store',
    }).catch(() => {});
  }
});
