import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { AppError } from '../../errors.js';
import { ROLES, type Role } from '../../store/index.js';

/** Single sign-on through an OpenID Connect provider (authorization code flow with PKCE). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claim of the ID token holding the officer's groups or roles (a string or an array; default "roles"). */
  roleClaim: string;
  /** Claim value → role; the highest role any value maps to wins. */
  roleMap: Record<string, Role>;
  scopes: string;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

interface Pending {
  verifier: string;
  nonce: string;
  redirectUri: string;
  expires: number;
}

/** Who the provider says signed in. */
export interface OidcIdentity {
  username: string;
  role: Role;
  subject: string;
}

const PENDING_MS = 10 * 60_000;
const FETCH_MS = 10_000;
const b64url = (b: Buffer) => b.toString('base64url');

/** Parses `group=role,group=role` (OIDC_ROLE_MAP); a role that is not one of the three is `config_invalid`. */
export function parseRoleMap(spec: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = pair.lastIndexOf('=');
    const value = pair.slice(0, eq).trim();
    const role = pair.slice(eq + 1).trim() as Role;
    if (eq <= 0 || !value || !ROLES.includes(role))
      throw new AppError(
        'config_invalid',
        `OIDC_ROLE_MAP: "${pair}" is not claim-value=administrator|editor|reader`,
      );
    map[value] = role;
  }
  return map;
}

async function getJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(FETCH_MS) });
  } catch (err) {
    throw new AppError('unauthorized', `OpenID provider unreachable at ${url}`, {
      cause: err,
      reason: 'Không kết nối được máy chủ đăng nhập một lần (SSO), vui lòng thử lại sau.',
    });
  }
  if (!res.ok)
    throw new AppError('unauthorized', `OpenID provider answered HTTP ${res.status} at ${url}`, {
      reason: 'Máy chủ đăng nhập một lần (SSO) từ chối yêu cầu.',
    });
  return (await res.json()) as T;
}

const refused = (detail: string) =>
  new AppError('unauthorized', detail, {
    reason: 'Đăng nhập một lần (SSO) không thành công, vui lòng thử lại.',
  });

/**
 * The relying party: builds the authorization URL (state, nonce, S256 code challenge), then on the
 * callback redeems the code with the verifier and checks the ID token (RS256 signature against the
 * provider's keys, issuer, audience, expiry, nonce) before mapping a claim to a role.
 */
export class OidcClient {
  private discovery: Promise<Discovery> | undefined;
  private readonly pending = new Map<string, Pending>();

  constructor(
    readonly settings: OidcSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private meta(): Promise<Discovery> {
    this.discovery ??= getJson<Discovery>(
      `${this.settings.issuer.replace(/\/+$/u, '')}/.well-known/openid-configuration`,
    ).catch((err: unknown) => {
      this.discovery = undefined;
      throw err;
    });
    return this.discovery;
  }

  /** Where to send the browser, and the state to bind to it (a cookie). */
  async start(redirectUri: string): Promise<{ url: string; state: string }> {
    const meta = await this.meta();
    const t = this.now().getTime();
    for (const [k, p] of this.pending) if (p.expires <= t) this.pending.delete(k);
    const state = b64url(randomBytes(24));
    const verifier = b64url(randomBytes(32));
    const nonce = b64url(randomBytes(16));
    this.pending.set(state, { verifier, nonce, redirectUri, expires: t + PENDING_MS });
    const url = new URL(meta.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state,
      nonce,
      code_challenge: b64url(createHash('sha256').update(verifier).digest()),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), state };
  }

  /** Redeems the code of a callback whose state matches the browser's cookie; returns the officer. */
  async finish(q: {
    code: string | undefined;
    state: string | undefined;
    error: string | undefined;
    cookieState: string | undefined;
  }): Promise<OidcIdentity> {
    if (q.error) throw refused(`the provider returned error=${q.error}`);
    const pending = q.state ? this.pending.get(q.state) : undefined;
    if (!q.state || !q.code || !pending || q.state !== q.cookieState)
      throw new AppError('bad_request', 'unknown, expired or foreign OpenID state', {
        reason: 'Phiên đăng nhập một lần đã hết hạn hoặc không hợp lệ, vui lòng đăng nhập lại.',
      });
    this.pending.delete(q.state);
    if (pending.expires <= this.now().getTime()) throw refused('the OpenID state expired');
    const meta = await this.meta();
    const basic = Buffer.from(
      `${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`,
    ).toString('base64');
    const tokens = await getJson<{ id_token?: string }>(meta.token_endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: q.code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier,
      }).toString(),
    });
    if (!tokens.id_token) throw refused('the token endpoint returned no id_token');
    const claims = await this.verifyIdToken(tokens.id_token, meta, pending.nonce);
    return this.identity(claims);
  }

  private async verifyIdToken(jwt: string, meta: Discovery, nonce: string): Promise<Record<string, unknown>> {
    const [h, p, s] = jwt.split('.');
    if (!h || !p || !s) throw refused('malformed id_token');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (header.alg !== 'RS256') throw refused(`id_token algorithm ${header.alg} is not RS256`);
    const { keys } = await getJson<{ keys: (JsonWebKey & { kid?: string })[] }>(meta.jwks_uri);
    const jwk = keys.find((k) => k.kty === 'RSA' && (header.kid === undefined || k.kid === header.kid));
    if (!jwk) throw refused(`no RSA key ${header.kid ?? ''} in the provider's JWKS`);
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${h}.${p}`),
      createPublicKey({ key: jwk, format: 'jwk' }),
      Buffer.from(s, 'base64url'),
    );
    if (!ok) throw refused('id_token signature does not verify');
    const c = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
    const now = this.now().getTime() / 1000;
    const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
    if (c.iss !== meta.issuer) throw refused(`id_token issuer ${String(c.iss)} is not ${meta.issuer}`);
    if (!aud.includes(this.settings.clientId)) throw refused('id_token audience is not this client');
    if (typeof c.exp !== 'number' || c.exp + 60 < now) throw refused('id_token expired');
    if (c.nonce !== nonce) throw refused('id_token nonce does not match');
    return c;
  }

  private identity(c: Record<string, unknown>): OidcIdentity {
    const raw = c[this.settings.roleClaim];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    const granted = values.map((v) => this.settings.roleMap[v]).filter((r): r is Role => r !== undefined);
    // ROLES is ordered from most to least: the highest role granted wins.
    const role = ROLES.find((r) => granted.includes(r));
    if (!role) {
      throw new AppError('forbidden', `no value of claim ${this.settings.roleClaim} maps to a role`, {
        reason:
          'Tài khoản của bạn chưa được cấp quyền sử dụng trang quản trị. Vui lòng liên hệ quản trị viên.',
      });
    }
    const name = [c.preferred_username, c.email, c.sub].find(
      (v): v is string => typeof v === 'string' && v.trim() !== '',
    );
    if (!name || typeof c.sub !== 'string') throw refused('id_token names no user');
    return { username: name.normalize('NFC').trim().toLowerCase(), role, subject: c.sub };
  }
}
