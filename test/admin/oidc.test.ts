import { emptyAdminDeps } from '../helpers/admin.js';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountAdmin } from '../../src/admin/auth/accounts.js';
import { OidcClient, parseRoleMap } from '../../src/admin/auth/oidc.js';
import { AdminSessions } from '../../src/admin/auth/sessions.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startApp } from '../helpers/app.js';

const CLIENT_ID = 'tro-ly-cong-vu';
const CLIENT_SECRET = 'client-secret-for-tests';

/** A fake OpenID provider on loopback: discovery, authorize (signs the user in at once), token with PKCE, JWKS. */
class FakeProvider {
  server!: Server;
  base = '';
  readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  /** Who signs in at the provider next. */
  user: Record<string, unknown> = {};
  /** Signs ID tokens with another key (a forged token). */
  signWith: KeyObject | null = null;
  readonly codes = new Map<
    string,
    { challenge: string; method: string; nonce: string; redirectUri: string }
  >();
  readonly tokenRequests: { verifierOk: boolean; clientOk: boolean }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private json(res: import('node:http').ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
    const url = new URL(req.url ?? '/', this.base);
    if (url.pathname === '/.well-known/openid-configuration') {
      return this.json(res, 200, {
        issuer: this.base,
        authorization_endpoint: `${this.base}/authorize`,
        token_endpoint: `${this.base}/token`,
        jwks_uri: `${this.base}/jwks`,
      });
    }
    if (url.pathname === '/jwks')
      return this.json(res, 200, {
        keys: [{ ...this.key.publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }],
      });
    if (url.pathname === '/authorize') {
      const p = url.searchParams;
      if (p.get('client_id') !== CLIENT_ID || p.get('response_type') !== 'code')
        return this.json(res, 400, { error: 'invalid_request' });
      const code = randomBytes(12).toString('hex');
      this.codes.set(code, {
        challenge: p.get('code_challenge') ?? '',
        method: p.get('code_challenge_method') ?? '',
        nonce: p.get('nonce') ?? '',
        redirectUri: p.get('redirect_uri') ?? '',
      });
      const back = new URL(p.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const c of req) body += String(c);
      const form = new URLSearchParams(body);
      const grant = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      const clientOk =
        req.headers.authorization ===
        `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
      const verifierOk =
        !!grant &&
        grant.method === 'S256' &&
        createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url') === grant.challenge;
      this.tokenRequests.push({ verifierOk, clientOk });
      if (!grant || !clientOk || !verifierOk || form.get('redirect_uri') !== grant.redirectUri)
        return this.json(res, 400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1', typ: 'JWT' })).toString(
        'base64url',
      );
      const payload = Buffer.from(
        JSON.stringify({
          iss: this.base,
          aud: CLIENT_ID,
          iat: now,
          exp: now + 300,
          nonce: grant.nonce,
          ...this.user,
        }),
      ).toString('base64url');
      const signature = sign(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        this.signWith ?? this.key.privateKey,
      ).toString('base64url');
      return this.json(res, 200, {
        access_token: 'at',
        token_type: 'Bearer',
        id_token: `${header}.${payload}.${signature}`,
      });
    }
    this.json(res, 404, { error: 'not_found' });
  }
}

describe('single sign-on through OpenID Connect (authorization code + PKCE) against a fake provider', () => {
  const idp = new FakeProvider();
  let app: Awaited<ReturnType<typeof startApp>>;
  let officers: SqliteStore;
  let dataDir: string;

  beforeAll(async () => {
    await idp.start();
    dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-oidc-'));
    officers = SqliteStore.open(path.join(dataDir, 'assistant.db'));
    const oidc = new OidcClient({
      issuer: idp.base,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      roleClaim: 'groups',
      roleMap: parseRoleMap('tlcv-admin=administrator, tlcv-doc=editor, tlcv-view=reader'),
      scopes: 'openid profile',
    });
    const admin = emptyAdminDeps(dataDir, officers, {
      sessions: new AdminSessions(officers.accounts, { idleMinutes: 30, maxHours: 12 }),
      oidc,
    });
    app = await startApp(() => null, { ratePerMinute: 1_000_000, admin });
    await new AccountAdmin(officers.accounts).add('chi.tran', 'administrator', 'mật khẩu quản trị 2025');
  });
  afterAll(async () => {
    await app.close();
    await officers.close();
    await new Promise<void>((r) => idp.server.close(() => r()));
    await rm(dataDir, { recursive: true, force: true });
  });

  const cookie = (res: Response, name: string) =>
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

  /** The browser's round trip: our login → the provider → our callback (with or without the state cookie). */
  async function roundTrip(opts: { dropStateCookie?: boolean } = {}) {
    const start = await fetch(`${app.base}/admin/api/oidc/login`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin + authorize.pathname).toBe(`${idp.base}/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.base}/admin/api/oidc/callback`);
    const state = cookie(start, 'tlcv_oidc');
    expect(start.headers.get('set-cookie')).toMatch(
      /Path=\/admin\/api\/oidc; Max-Age=600; HttpOnly; SameSite=Lax/u,
    );
    const atIdp = await fetch(authorize, { redirect: 'manual' });
    const callback = atIdp.headers.get('location')!;
    const back = await fetch(callback, {
      redirect: 'manual',
      headers: opts.dropStateCookie ? {} : { cookie: state! },
    });
    expect(back.status).toBe(303);
    return { location: back.headers.get('location'), session: cookie(back, 'tlcv_admin') };
  }

  const me = async (session: string) =>
    (await (await fetch(`${app.base}/admin/api/me`, { headers: { cookie: session } })).json()) as Record<
      string,
      unknown
    >;

  it('signs an officer in with the highest role their groups map to, through PKCE, as a password-less account', async () => {
    expect(await (await fetch(`${app.base}/admin/api/auth-options`)).json()).toEqual({
      password: true,
      sso: true,
    });
    idp.user = {
      sub: 'u-001',
      preferred_username: 'An.Nguyen@LangSon.gov.vn',
      groups: ['tlcv-view', 'tlcv-doc', 'others'],
    };
    const r = await roundTrip();
    expect(r.location).toBe('/admin');
    expect(await me(r.session!)).toMatchObject({
      username: 'an.nguyen@langson.gov.vn',
      role: 'editor',
      roleLabel: 'Biên tập viên',
      via: 'session',
    });
    expect(idp.tokenRequests.at(-1)).toEqual({ verifierOk: true, clientOk: true });
    expect((await officers.accounts.getAccount('an.nguyen@langson.gov.vn'))?.passwordHash).toBeNull();
    // No password opens that account.
    const pw = await fetch(`${app.base}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Requested-With': 'x' },
      body: JSON.stringify({ username: 'an.nguyen@langson.gov.vn', password: 'anything-at-all' }),
    });
    expect(pw.status).toBe(401);
    const audit = await officers.listAudit();
    expect(audit.find((a) => a.action === 'login_sso')).toMatchObject({
      actor: 'an.nguyen@langson.gov.vn',
      result: 'ok',
    });

    // The provider moved the officer to readers: the next sign-in says so.
    idp.user = { ...idp.user, groups: ['tlcv-view'] };
    expect(await me((await roundTrip()).session!)).toMatchObject({ role: 'reader' });
  });

  it('refuses a callback without the browser state cookie, a forged ID token, no mapped group, and a local account name', async () => {
    idp.user = { sub: 'u-002', preferred_username: 'binh.le', groups: ['tlcv-admin'] };
    expect(await roundTrip({ dropStateCookie: true })).toEqual({
      location: '/admin?sso=failed',
      session: undefined,
    });

    idp.signWith = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(await roundTrip()).toEqual({ location: '/admin?sso=failed', session: undefined });
    idp.signWith = null;

    idp.user = { sub: 'u-003', preferred_username: 'khach', groups: ['others'] };
    expect(await roundTrip()).toEqual({ location: '/admin?sso=forbidden', session: undefined });

    idp.user = { sub: 'u-004', preferred_username: 'chi.tran', groups: ['tlcv-admin'] };
    expect(await roundTrip()).toEqual({ location: '/admin?sso=forbidden', session: undefined });

    idp.user = { sub: 'u-002', preferred_username: 'binh.le', groups: ['tlcv-admin'] };
    expect(await me((await roundTrip()).session!)).toMatchObject({
      username: 'binh.le',
      role: 'administrator',
    });
    const failures = (await officers.listAudit())
      .filter((a) => a.action === 'login_sso' && a.result === 'error')
      .map((a) => a.detail);
    expect(failures).toEqual([
      expect.stringMatching(/^a local account with a password has this name/u),
      expect.stringMatching(/^no value of claim groups maps to a role/u),
      expect.stringMatching(/^id_token signature does not verify/u),
      expect.stringMatching(/^unknown, expired or foreign OpenID state/u),
    ]);
  });

  it('rejects a role map naming an unknown role', () => {
    expect(() => parseRoleMap('tlcv=owner')).toThrow(/OIDC_ROLE_MAP/u);
  });
});
