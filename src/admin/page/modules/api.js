// @ts-check
/* Trợ lý Công vụ, administration page: its calls to /admin/api. An officer is signed in with an
 * HttpOnly session cookie the script never sees (every request then carries X-Requested-With,
 * against CSRF), or with the admin token, kept in sessionStorage only. A 401 signs the page out. */
import { NET_ERROR, SESSION_ENDED, WRONG_TOKEN } from './labels.js';
import { notify } from './ui.js';

export const API = '/admin/api';
const TOKEN_KEY = 'tlcv-admin-token';

/**
 * The officer signed in (GET /admin/api/me).
 * @typedef {{ username: string, roleLabel: string, via: 'token' | 'session' | string, permissions: string[] }} Officer
 */

/** A JSON answer: its status, whether it is 2xx, and its body (null when not JSON). @typedef {{ status: number, ok: boolean, data: any }} ApiResult */

/** A failed request; `message` is Vietnamese and fit to show (status 0: no connection). */
export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @param {unknown} err */
export const isUnauthorized = (err) => err instanceof ApiError && err.status === 401;

/** @param {unknown} err */
export const messageOf = (err) => (err instanceof Error && err.message ? err.message : NET_ERROR);

let token = '';
try {
  token = sessionStorage.getItem(TOKEN_KEY) || '';
} catch {
  token = '';
}

/** @type {Officer | null} */
let officer = null;

/** The admin token in use ('' when signed in with an account, or not at all). */
export const currentToken = () => token;

/** Uses `value` as the admin token for the next requests (stored once it is known to work: `keepToken`). @param {string} value */
export function setToken(value) {
  token = value;
}

/** Keeps the token in this tab's sessionStorage. */
export function keepToken() {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    /* storage unavailable: signed in for this page only */
  }
}

/** Forgets the token and the officer. */
export function clearCredentials() {
  token = '';
  officer = null;
  try {
    sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable */
  }
}

export const currentOfficer = () => officer;

/** @param {Officer | null} me */
export function setOfficer(me) {
  officer = me;
}

/** Whether the officer's role grants `permission`. @param {string | null} permission */
export function may(permission) {
  return !!officer && permission !== null && officer.permissions.indexOf(permission) >= 0;
}

/** @type {(why: string) => void} */
let onUnauthorized = () => {};

/** Sets what a 401 does (sign out, show `why` under the sign-in form). @param {(why: string) => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/** Signs out after a 401, saying why. */
export function unauthorized() {
  onUnauthorized(token ? WRONG_TOKEN : SESSION_ENDED);
}

/** The text of an error answer. @param {number} status @param {any} data */
export function errorText(status, data) {
  if (data && typeof data.message === 'string' && data.message) return data.message;
  return 'Máy chủ báo lỗi (HTTP ' + status + ').';
}

/**
 * Credentials of a request: the token, or the session cookie plus the anti-CSRF header.
 * @param {Record<string, string>} headers
 * @returns {Record<string, string>}
 */
export function authHeaders(headers) {
  if (token) headers.Authorization = 'Bearer ' + token;
  else headers['X-Requested-With'] = 'XMLHttpRequest';
  return headers;
}

/** The fetch `credentials` that go with `authHeaders`. @returns {RequestCredentials} */
export const credentials = () => (token ? 'omit' : 'same-origin');

/**
 * A fetch whose answer is read as JSON when it is JSON (else `data` is null); a network failure is
 * an ApiError with the Vietnamese connection message.
 * @param {string} url
 * @param {RequestInit} init
 * @returns {Promise<{ res: Response, data: any }>}
 */
export async function fetchJson(url, init) {
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(0, NET_ERROR);
  }
  /** @type {any} */
  let data = null;
  try {
    data = await res.json();
  } catch {
    /* not JSON: data stays null */
  }
  return { res, data };
}

/**
 * JSON request with the token or the session; a 401 signs out (and rejects).
 * @param {string} method
 * @param {string} path under /admin/api
 * @param {unknown} [body]
 * @returns {Promise<ApiResult>}
 */
export async function api(method, path, body) {
  const headers = authHeaders({ Accept: 'application/json' });
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const { res, data } = await fetchJson(API + path, {
    method,
    headers,
    body: body !== undefined ? JSON.stringify(body) : undefined,
    cache: 'no-store',
    credentials: credentials(),
  });
  if (res.status === 401) {
    const why = token ? WRONG_TOKEN : SESSION_ENDED;
    onUnauthorized(why);
    throw new ApiError(401, why);
  }
  return { status: res.status, ok: res.status >= 200 && res.status < 300, data };
}

/**
 * Like `api`, but a non-2xx answer is an ApiError.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
export async function request(method, path, body) {
  const r = await api(method, path, body);
  if (!r.ok) throw new ApiError(r.status, errorText(r.status, r.data));
  return r;
}

/** Shows an error unless it was a 401 (already handled by signing out). @param {unknown} err */
export function fail(err) {
  if (isUnauthorized(err)) return;
  notify(messageOf(err), 'error');
}

/**
 * Fills a table: marked busy while `load` runs, a failure shown as any other.
 * @param {HTMLTableElement} table
 * @param {() => Promise<void>} load
 */
export async function loadTable(table, load) {
  table.setAttribute('aria-busy', 'true');
  try {
    await load();
  } catch (err) {
    fail(err);
  } finally {
    table.removeAttribute('aria-busy');
  }
}
