// @ts-check
/* Trợ lý Công vụ: the administration page (/admin), an ES module loaded by admin.html. Served with
 * a strict CSP (script-src 'self'), so no inline script or handlers. Every piece of server or
 * stored text (document titles, file names, questions, comments) is put in the page with
 * textContent / createElement only: a title containing markup shows as text. Actions the officer's
 * role may not do are not shown. This module wires the tabs to their panels and signs in. */
import { $ } from '../../../lib/browser/dom.js';
import { API, api, currentToken, errorText, isUnauthorized, messageOf } from './api.js';
import { loadAudit } from './audit.js';
import { loadDocuments } from './documents.js';
import './exports.js';
import { loadFeedback } from './feedback.js';
import { loadGaps } from './gaps.js';
import { SSO_ERRORS } from './labels.js';
import { enterApp, showLogin } from './session.js';
import { loadSnapshots } from './snapshots.js';
import { onTabOpen } from './tabs.js';
import './upload.js';

onTabOpen('documents', () => void loadDocuments());
onTabOpen('snapshots', () => void loadSnapshots());
onTabOpen('gaps', () => void loadGaps());
onTabOpen('feedback', () => void loadFeedback());
onTabOpen('audit', () => void loadAudit());

// Back from single sign-on that did not succeed: /admin?sso=forbidden|failed.
const ssoError = SSO_ERRORS[new URLSearchParams(location.search).get('sso') || ''] || '';
if (location.search) history.replaceState(null, '', location.pathname + location.hash);
fetch(API + '/auth-options', { cache: 'no-store', credentials: 'omit' })
  .then((res) => (res.ok ? res.json() : null))
  .then((/** @type {{ sso?: boolean } | null} */ o) => {
    $('sso-box').hidden = !(o && o.sso);
  })
  .catch(() => {});

// A token from earlier in this tab, or a session cookie: check it is still valid before showing data.
api('GET', '/me')
  .then((r) => {
    if (r.ok) enterApp(r.data);
    else showLogin(currentToken() ? errorText(r.status, r.data) : ssoError);
  })
  .catch((err) => {
    if (isUnauthorized(err)) {
      if (ssoError) $('account-error').textContent = ssoError;
      return;
    }
    showLogin(messageOf(err));
  });
