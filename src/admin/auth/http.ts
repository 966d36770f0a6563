import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AppError, errorBody } from '../../errors.js';
import { parseBody } from '../../lib/parse-body.js';
import type { OidcClient } from './oidc.js';
import { can, permissionsOf, ROLE_LABELS, type Permission } from './roles.js';
import { AdminSessions, LoginError, loginRefusal, type Officer } from './sessions.js';

/** Name of the session cookie (path /admin, HttpOnly, SameSite=Strict, Secure over https). */
export const SESSION_COOKIE = 'tlcv_admin';
/** Header a cookie-authenticated change must carry: a cross-site form cannot send it, and a cross-site script needs a CORS preflight this server never grants. */
export const CSRF_HEADER = 'x-requested-with';

export interface AuthDeps {
  /** ADMIN_TOKEN: a bearer token for automation, acting as administrator ("token" in the audit log). */
  token?: string;
  /** Officer accounts; without them only the token signs in. */
  sessions?: AdminSessions;
  /** Single sign-on through OpenID Connect (needs `sessions`). */
  oidc?: OidcClient;
  /** Public address of the server, for the OpenID redirect URI (else the request's own). */
  publicBaseUrl?: string;
  /** Records sign-ins and sign-outs in the audit log. */
  audit: (actor: string, action: string, result: 'ok' | 'error', detail?: string) => Promise<void>;
}

/** Constant-time check of a bearer token (both sides hashed first, so lengths do not leak either). */
export function tokenMatches(header: string | undefined, token: string | undefined): boolean {
  const m = /^Bearer (.+)$/u.exec(header ?? '');
  const given = createHash('sha256')
    .update(m?.[1] ?? '')
    .digest();
  const expected = createHash('sha256')
    .update(token ?? '')
    .digest();
  return m !== null && token !== undefined && timingSafeEqual(given, expected);
}

/** One cookie's value from the Cookie header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function cookie(req: Request, value: string, maxAgeS: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/admin',
    `Max-Age=${maxAgeS}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(req.secure ? ['Secure'] : []),
  ].join('; ');
}

/** The signed-in officer of a request that passed `authenticate`. */
export function officerOf(res: Response): Officer {
  const o = res.locals.officer as Officer | undefined;
  if (!o) throw new AppError('internal', 'route reached without authentication');
  return o;
}

/** Audit-log actor: the account name, or "token" for the ADMIN_TOKEN. */
export const actorOf = (o: Officer): string => (o.via === 'token' ? 'token' : o.username);

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuse(res: Response, status: number, body: Record<string, unknown>): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(status).json(body);
}

const unauthorized = {
  error: 'unauthorized',
  message: 'Cần đăng nhập quản trị (tài khoản cán bộ, hoặc Authorization: Bearer <ADMIN_TOKEN>).',
};

const csrfRefused = {
  error: 'forbidden',
  message: 'Yêu cầu bị từ chối để bảo vệ phiên đăng nhập. Vui lòng thao tác từ trang quản trị.',
  detail: 'a change made with the session cookie must carry the X-Requested-With header',
};

/** Who is asking: the bearer token when an Authorization header is sent, else the session cookie; 401 otherwise. */
export function authenticate(deps: AuthDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    if (req.headers.authorization !== undefined) {
      if (!tokenMatches(req.headers.authorization, deps.token)) return refuse(res, 401, unauthorized);
      res.locals.officer = { username: 'token', role: 'administrator', via: 'token' } satisfies Officer;
      return next();
    }
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    const officer = value && deps.sessions ? await deps.sessions.resolve(value) : null;
    if (!officer) {
      if (value) {
        res.setHeader('Set-Cookie', cookie(req, '', 0));
        return refuse(res, 401, {
          error: 'unauthorized',
          message: 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
        });
      }
      return refuse(res, 401, unauthorized);
    }
    if (UNSAFE.has(req.method) && !req.headers[CSRF_HEADER]) return refuse(res, 403, csrfRefused);
    res.locals.officer = officer;
    next();
  };
}

/** 403 with the Vietnamese reason unless the officer's role grants the permission. */
export function allow(permission: Permission): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const o = officerOf(res);
    if (can(o.role, permission)) return next();
    refuse(res, 403, {
      ...errorBody(new AppError('forbidden', `role ${o.role} lacks ${permission}`)),
      message: `Vai trò “${ROLE_LABELS[o.role]}” không được phép thực hiện thao tác này.`,
    });
  };
}

const loginBody = z
  .object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) })
  .strict();

/** What `GET /admin/api/me` and a sign-in answer. */
export function describeOfficer(o: Officer) {
  return {
    username: o.username,
    role: o.role,
    roleLabel: ROLE_LABELS[o.role],
    via: o.via,
    permissions: permissionsOf(o.role),
    expiresAt: o.expiresAt ?? null,
  };
}

/** `POST /admin/api/login` and `/logout`, which come before `authenticate`. */
export function loginRouter(deps: AuthDeps): Router {
  const router = Router();
  router.post('/admin/api/login', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!req.headers[CSRF_HEADER]) return refuse(res, 403, csrfRefused);
    if (!deps.sessions) throw new AppError('not_found', 'officer accounts are not configured');
    const body = parseBody(loginBody, req.body ?? {});
    const ip = req.ip ?? 'unknown';
    try {
      const s = await deps.sessions.login(body.username, body.password, ip);
      res.setHeader('Set-Cookie', cookie(req, s.cookieValue, deps.sessions.cookieMaxAgeS));
      await deps.audit(s.officer.username, 'login', 'ok', `from ${ip}`);
      res.json({ ...describeOfficer(s.officer), message: 'Đã đăng nhập.' });
    } catch (err) {
      if (!(err instanceof LoginError)) throw err;
      await deps.audit(body.username.slice(0, 64), 'login', 'error', `${err.refusal} from ${ip}`);
      if (err.retryAfterS > 0) res.setHeader('Retry-After', String(err.retryAfterS));
      throw loginRefusal(err);
    }
  });
  // What the sign-in form offers, asked before anyone is signed in.
  router.get('/admin/api/auth-options', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      password: deps.sessions !== undefined,
      sso: deps.oidc !== undefined && deps.sessions !== undefined,
    });
  });
  if (deps.oidc && deps.sessions) mountOidc(router, deps, deps.oidc, deps.sessions);
  router.post('/admin/api/logout', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (value && !req.headers[CSRF_HEADER]) return refuse(res, 403, csrfRefused);
    if (value && deps.sessions) {
      const officer = await deps.sessions.resolve(value);
      await deps.sessions.logout(value);
      if (officer) await deps.audit(officer.username, 'logout', 'ok');
    }
    res.setHeader('Set-Cookie', cookie(req, '', 0));
    res.json({ message: 'Đã đăng xuất.' });
  });
  return router;
}

const OIDC_STATE_COOKIE = 'tlcv_oidc';
const OIDC_PATH = '/admin/api/oidc';

/**
 * `GET /admin/api/oidc/login` sends the browser to the provider; `…/callback` comes back with the
 * code. The state is bound to the browser by a short-lived cookie (SameSite=Lax: the callback is a
 * navigation from the provider's site), so a callback started elsewhere is refused.
 */
function mountOidc(router: Router, deps: AuthDeps, oidc: OidcClient, sessions: AdminSessions): void {
  const stateCookie = (req: Request, value: string, maxAgeS: number) =>
    [
      `${OIDC_STATE_COOKIE}=${value}`,
      `Path=${OIDC_PATH}`,
      `Max-Age=${maxAgeS}`,
      'HttpOnly',
      'SameSite=Lax',
      ...(req.secure ? ['Secure'] : []),
    ].join('; ');
  router.get(`${OIDC_PATH}/login`, async (req, res) => {
    const base = deps.publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const { url, state } = await oidc.start(`${base}${OIDC_PATH}/callback`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Set-Cookie', stateCookie(req, state, 600));
    res.redirect(303, url);
  });
  router.get(`${OIDC_PATH}/callback`, async (req, res) => {
    const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
    const ip = req.ip ?? 'unknown';
    res.setHeader('Cache-Control', 'no-store');
    const cookieState = readCookie(req.headers.cookie, OIDC_STATE_COOKIE);
    const clear = stateCookie(req, '', 0);
    let outcome: 'ok' | 'forbidden' | 'failed';
    try {
      const who = await oidc.finish({ code: q('code'), state: q('state'), error: q('error'), cookieState });
      const s = await sessions.loginSso(who.username, who.role, ip);
      res.setHeader('Set-Cookie', [clear, cookie(req, s.cookieValue, sessions.cookieMaxAgeS)]);
      await deps.audit(s.officer.username, 'login_sso', 'ok', `${who.role} from ${ip}`);
      outcome = 'ok';
    } catch (err) {
      const e = err instanceof LoginError ? loginRefusal(err) : err;
      if (!(e instanceof AppError)) throw e;
      outcome = e.code === 'forbidden' ? 'forbidden' : 'failed';
      res.setHeader('Set-Cookie', clear);
      await deps.audit('sso', 'login_sso', 'error', `${e.message} from ${ip}`);
    }
    // Back to the page, which reads the session (or shows why not) itself.
    res.redirect(303, outcome === 'ok' ? '/admin' : `/admin?sso=${outcome}`);
  });
}
