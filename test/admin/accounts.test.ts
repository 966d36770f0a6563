import { emptyAdminDeps } from '../helpers/admin.js';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountAdmin } from '../../src/admin/auth/accounts.js';
import { hashPassword, verifyPassword } from '../../src/admin/auth/passwords.js';
import { AdminSessions } from '../../src/admin/auth/sessions.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startApp } from '../helpers/app.js';

const TOKEN = 'test-accounts-token-0123456789abcdef';
const PASSWORDS = {
  'chi.tran': 'mật khẩu quản trị 2025',
  'an.nguyen': 'biên tập viên 2025!',
  'binh.le': 'người xem 2025 ok',
};
const XHR = { 'X-Requested-With': 'XMLHttpRequest' };

let t = Date.parse('2025-06-02T01:00:00.000Z');
const clock = { now: () => new Date(t), advance: (min: number) => void (t += min * 60_000) };

let app: Awaited<ReturnType<typeof startApp>>;
let dataDir: string;
/** Accounts and sessions in their own database (the app's in-memory one is made by startApp). */
let officers: SqliteStore;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-accounts-'));
  officers = SqliteStore.open(path.join(dataDir, 'assistant.db'));
  const admin = emptyAdminDeps(dataDir, officers, {
    token: TOKEN,
    sessions: new AdminSessions(officers.accounts, { idleMinutes: 30, maxHours: 12 }, clock.now),
  });
  app = await startApp(() => null, { ratePerMinute: 1_000_000, admin });
});

afterAll(async () => {
  await app.close();
  await officers.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('passwords', () => {
  it('are hashed with scrypt, a random salt and the parameters in the hash, and checked', async () => {
    const a = await hashPassword('một mật khẩu dài', { N: 1024, r: 8, p: 1 });
    const b = await hashPassword('một mật khẩu dài', { N: 1024, r: 8, p: 1 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/u);
    expect(a).not.toBe(b);
    expect(await verifyPassword('một mật khẩu dài', a)).toBe(true);
    // NFD typing of the same password is the same password.
    expect(await verifyPassword('một mật khẩu dài'.normalize('NFD'), a)).toBe(true);
    expect(await verifyPassword('mot mat khau dai', a)).toBe(false);
    await expect(verifyPassword('x', 'plain-text')).rejects.toMatchObject({ code: 'config_invalid' });
  });
});

describe('officer accounts on the admin API', () => {
  beforeAll(async () => {
    const accounts = new AccountAdmin(officers.accounts, clock.now);
    await accounts.add('Chi.Tran', 'administrator', PASSWORDS['chi.tran']);
    await accounts.add('an.nguyen', 'editor', PASSWORDS['an.nguyen']);
    await accounts.add('binh.le', 'reader', PASSWORDS['binh.le']);
  });

  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    fetch(`${app.base}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...XHR, ...headers },
      body: JSON.stringify({ username, password }),
    });
  const cookieOf = (res: Response) =>
    /^(tlcv_admin=[^;]+)/u.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  async function signIn(username: keyof typeof PASSWORDS): Promise<string> {
    const res = await login(username, PASSWORDS[username]);
    expect(res.status).toBe(200);
    return cookieOf(res);
  }
  const call = (
    method: string,
    url: string,
    cookie: string,
    body?: unknown,
    extra: Record<string, string> = XHR,
  ) =>
    fetch(`${app.base}${url}`, {
      method,
      headers: { cookie, ...extra, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('errors in the project convention: Vietnamese message, English detail', async () => {
    const res = await login('chi.tran', 'sai mật khẩu rồi');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'unauthorized',
      message: 'Tên đăng nhập hoặc mật khẩu không đúng.',
      detail: 'wrong username or password',
    });
    // An unknown name gets the very same answer.
    const unknown = await login('khong.co.ai', 'sai mật khẩu rồi');
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { message: string }).message).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng.',
    );
  });

  it('signs in with an HttpOnly, SameSite=Strict cookie whose id is stored only as a hash; /me names the officer and role', async () => {
    const res = await login('  CHI.TRAN ', PASSWORDS['chi.tran']);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      username: 'chi.tran',
      role: 'administrator',
      roleLabel: 'Quản trị viên',
      via: 'session',
      message: 'Đã đăng nhập.',
    });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(
      /^tlcv_admin=[\w-]{43}; Path=\/admin; Max-Age=43200; HttpOnly; SameSite=Strict$/u,
    );
    const cookie = cookieOf(res);
    const me = await call('GET', '/admin/api/me', cookie);
    expect(await me.json()).toEqual({
      username: 'chi.tran',
      role: 'administrator',
      roleLabel: 'Quản trị viên',
      via: 'session',
      permissions: ['documents:read', 'documents:write', 'snapshots:activate', 'reports:read'],
      expiresAt: '2025-06-02T13:00:00.000Z',
    });
    const id = cookie.split('=')[1]!;
    const session = await officers.accounts.getSession(createHash('sha256').update(id).digest('hex'));
    expect(session?.username).toBe('chi.tran');
    expect(await officers.accounts.getSession(id)).toBeNull();
  });

  it('marks the cookie Secure behind an https proxy', async () => {
    const res = await login('chi.tran', PASSWORDS['chi.tran'], { 'X-Forwarded-Proto': 'https' });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/u);
  });

  it('locks a username from one address after 5 failures for 15 minutes, even with the right password', async () => {
    const from = { 'X-Forwarded-For': '198.51.100.7' };
    for (let i = 1; i <= 4; i++) expect((await login('binh.le', `sai lần ${i} nhé`, from)).status).toBe(401);
    const fifth = await login('binh.le', 'sai lần 5 nhé', from);
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBe('900');
    expect(((await fifth.json()) as { message: string }).message).toBe(
      'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.',
    );
    clock.advance(5);
    const right = await login('binh.le', PASSWORDS['binh.le'], from);
    expect(right.status).toBe(429);
    expect(((await right.json()) as { message: string }).message).toBe(
      'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút.',
    );
    // Another address is not locked out by these failures.
    expect((await login('binh.le', PASSWORDS['binh.le'], { 'X-Forwarded-For': '198.51.100.8' })).status).toBe(
      200,
    );
    clock.advance(10);
    expect((await login('binh.le', PASSWORDS['binh.le'], from)).status).toBe(200);
  });

  it('checks the role of every route: 403 with the role named in Vietnamese', async () => {
    const reader = await signIn('binh.le');
    const editor = await signIn('an.nguyen');
    const administrator = await signIn('chi.tran');
    expect((await call('GET', '/admin/api/feedback', reader)).status).toBe(200);
    expect((await call('GET', '/admin/api/audit', reader)).status).toBe(200);
    expect((await call('GET', '/admin/api/snapshots', reader)).status).toBe(200);
    const denied = await call('PATCH', '/admin/api/documents/x', reader, { status: 'het_hieu_luc_toan_bo' });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({
      error: 'forbidden',
      message: 'Vai trò “Người xem” không được phép thực hiện thao tác này.',
      detail: 'role reader lacks documents:write',
    });
    expect((await call('POST', '/admin/api/reindex', reader, {})).status).toBe(403);
    expect((await call('DELETE', '/admin/api/documents/x', reader)).status).toBe(403);

    expect((await call('GET', '/admin/api/feedback', editor)).status).toBe(403);
    expect((await call('GET', '/admin/api/export/audit.csv', editor)).status).toBe(403);
    const rollback = await call('POST', '/admin/api/snapshots/s1/activate', editor);
    expect(rollback.status).toBe(403);
    expect(((await rollback.json()) as { message: string }).message).toBe(
      'Vai trò “Biên tập viên” không được phép thực hiện thao tác này.',
    );
    // Past the role check, the request itself is judged (an empty edit is a 400).
    expect((await call('PATCH', '/admin/api/documents/x', editor, {})).status).toBe(400);
    expect((await call('PATCH', '/admin/api/documents/x', administrator, {})).status).toBe(400);
    expect((await call('POST', '/admin/api/snapshots/s1/activate', administrator)).status).not.toBe(403);
  });

  it('refuses a cookie-authenticated change without X-Requested-With (CSRF), but not the same with it', async () => {
    const cookie = await signIn('chi.tran');
    const forged = await call('PATCH', '/admin/api/documents/x', cookie, {}, {});
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({
      error: 'forbidden',
      message: 'Yêu cầu bị từ chối để bảo vệ phiên đăng nhập. Vui lòng thao tác từ trang quản trị.',
    });
    expect((await call('PATCH', '/admin/api/documents/x', cookie, {})).status).toBe(400);
    // Reading needs no header; signing in does.
    expect((await call('GET', '/admin/api/me', cookie, undefined, {})).status).toBe(200);
    const noHeader = await fetch(`${app.base}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'chi.tran', password: PASSWORDS['chi.tran'] }),
    });
    expect(noHeader.status).toBe(403);
  });

  it('ends a session after 30 idle minutes, and 12 hours after sign-in however active', async () => {
    const idle = await signIn('an.nguyen');
    clock.advance(29);
    expect((await call('GET', '/admin/api/me', idle)).status).toBe(200);
    clock.advance(29);
    expect((await call('GET', '/admin/api/me', idle)).status).toBe(200);
    clock.advance(31);
    const expired = await call('GET', '/admin/api/me', idle);
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { message: string }).message).toBe(
      'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
    );
    expect(expired.headers.get('set-cookie')).toMatch(/^tlcv_admin=; Path=\/admin; Max-Age=0/u);

    const busy = await signIn('an.nguyen');
    for (let q = 0; q < 47; q++) {
      clock.advance(15);
      expect((await call('GET', '/admin/api/me', busy)).status).toBe(200);
    }
    clock.advance(14);
    expect((await call('GET', '/admin/api/me', busy)).status).toBe(200);
    clock.advance(1);
    expect((await call('GET', '/admin/api/me', busy)).status).toBe(401);
  });

  it('signs out; disabling an account or resetting its password ends its sessions at once', async () => {
    const cookie = await signIn('an.nguyen');
    const out = await call('POST', '/admin/api/logout', cookie);
    expect(out.status).toBe(200);
    expect(((await out.json()) as { message: string }).message).toBe('Đã đăng xuất.');
    expect((await call('GET', '/admin/api/me', cookie)).status).toBe(401);

    const accounts = new AccountAdmin(officers.accounts, clock.now);
    const again = await signIn('an.nguyen');
    expect(await accounts.resetPassword('an.nguyen', 'mật khẩu mới của An 2025')).toBeGreaterThanOrEqual(1);
    expect((await call('GET', '/admin/api/me', again)).status).toBe(401);
    expect((await login('an.nguyen', PASSWORDS['an.nguyen'])).status).toBe(401);
    const afterReset = await login('an.nguyen', 'mật khẩu mới của An 2025');
    expect(afterReset.status).toBe(200);
    expect(await accounts.disable('an.nguyen')).toBe(1);
    expect((await call('GET', '/admin/api/me', cookieOf(afterReset))).status).toBe(401);
    const disabled = await login('an.nguyen', 'mật khẩu mới của An 2025');
    expect(disabled.status).toBe(403);
    expect(((await disabled.json()) as { message: string }).message).toBe(
      'Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.',
    );
    await accounts.enable('an.nguyen');
  });

  it('audits by account name, and the ADMIN_TOKEN as "token" acting as administrator', async () => {
    const me = await fetch(`${app.base}/admin/api/me`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(await me.json()).toMatchObject({ username: 'token', role: 'administrator', via: 'token' });
    // The token needs no CSRF header: it is never sent by a browser on its own.
    expect(
      (
        await fetch(`${app.base}/admin/api/documents/x`, {
          method: 'PATCH',
          headers: { Authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await fetch(`${app.base}/admin/api/export/gaps.csv`, {
          headers: { Authorization: `Bearer ${TOKEN}` },
        })
      ).status,
    ).toBe(200);
    const reader = await signIn('binh.le');
    expect((await call('GET', '/admin/api/export/feedback.csv', reader)).status).toBe(200);
    const audit = (await (await call('GET', '/admin/api/audit', reader)).json()) as {
      audit: { actor: string; action: string; target: string | null; result: string }[];
    };
    expect(audit.audit.slice(0, 3).map((a) => [a.actor, a.action, a.target, a.result])).toEqual([
      ['binh.le', 'export', 'feedback.csv', 'ok'],
      ['binh.le', 'login', null, 'ok'],
      ['token', 'export', 'gaps.csv', 'ok'],
    ]);
    expect(
      audit.audit.some((a) => a.actor === 'chi.tran' && a.action === 'login' && a.result === 'error'),
    ).toBe(true);
    expect(audit.audit.some((a) => a.actor === 'an.nguyen' && a.action === 'logout')).toBe(true);
    expect(audit.audit.every((a) => !a.actor.startsWith('admin@'))).toBe(true);
  });

  it('validates account names, roles and password length', async () => {
    const accounts = new AccountAdmin(officers.accounts, clock.now);
    await expect(accounts.add('token', 'reader', 'đủ dài rồi đấy')).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(accounts.add('a b', 'reader', 'đủ dài rồi đấy')).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(accounts.add('ok.name', 'owner', 'đủ dài rồi đấy')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'role: one of administrator, editor, reader',
    });
    await expect(accounts.add('ok.name', 'reader', 'ngắn')).rejects.toMatchObject({
      code: 'bad_request',
      message: 'password: at least 10 characters',
    });
    await expect(accounts.add('CHI.TRAN', 'reader', 'đủ dài rồi đấy')).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
