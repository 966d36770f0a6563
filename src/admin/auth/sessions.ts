import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { AccountStore, Role } from '../../store/index.js';
import { decoyHash, verifyPassword } from './passwords.js';

/** Session lifetime and sign-in throttling; minutes unless named otherwise. */
export interface SessionSettings {
  /** A session unused this long ends (default 30). */
  idleMinutes: number;
  /** A session ends this long after sign-in whatever the activity (default 12). */
  maxHours: number;
  /** Failed sign-ins of one username from one address before it is locked (default 5)… */
  maxFailures?: number;
  /** …within this window (default 15)… */
  failureWindowMinutes?: number;
  /** …and for this long (default 15). */
  lockMinutes?: number;
}

/** Who is signed in: an officer's account, or the ADMIN_TOKEN automation (acting as administrator). */
export interface Officer {
  username: string;
  role: Role;
  via: 'session' | 'token';
  /** End of the session (sessions only), ISO. */
  expiresAt?: string;
}

/** A new session: the cookie value is returned once and only its hash is stored. */
export interface NewSession {
  cookieValue: string;
  officer: Officer;
}

/** Why a sign-in was refused, for the message and the audit log. */
export type LoginRefusal = 'wrong_credentials' | 'locked' | 'disabled' | 'local_account';

export class LoginError extends Error {
  constructor(
    readonly refusal: LoginRefusal,
    /** For `locked`: seconds until another try is accepted. */
    readonly retryAfterS = 0,
  ) {
    super(refusal);
    this.name = 'LoginError';
  }
}

const MINUTE = 60_000;
/** Activity is written back at most this often, so that reads do not each cost a write. */
const TOUCH_EVERY_MS = 15_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Usernames are compared in NFC lower case with no surrounding spaces. */
export function normalizeUsername(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

/** Letters, digits, dot, dash, underscore and @; 2 to 64 characters. */
export const USERNAME_PATTERN = /^[\p{L}\p{N}._@-]{2,64}$/u;

/**
 * Signing officers in and out: password check with throttling per username and address, sessions
 * with an idle timeout and an absolute lifetime, stored by the SHA-256 of a random 256-bit id.
 */
export class AdminSessions {
  private decoy: Promise<string> | undefined;
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly lockMs: number;

  constructor(
    private readonly accounts: AccountStore,
    private readonly settings: SessionSettings,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.maxFailures = settings.maxFailures ?? 5;
    this.windowMs = (settings.failureWindowMinutes ?? 15) * MINUTE;
    this.lockMs = (settings.lockMinutes ?? 15) * MINUTE;
  }

  /** Lifetime of the session cookie, seconds (the absolute lifetime; the server ends idle sessions sooner). */
  get cookieMaxAgeS(): number {
    return Math.round(this.settings.maxHours * 3600);
  }

  /** Checks the password and opens a session; a LoginError says why not. */
  async login(usernameRaw: string, password: string, ip: string): Promise<NewSession> {
    const username = normalizeUsername(usernameRaw);
    const key = `${username}\u0000${ip}`;
    const now = this.now();
    const failures = await this.accounts.loginFailures(key);
    if (failures?.lockedUntil && Date.parse(failures.lockedUntil) > now.getTime()) {
      throw new LoginError('locked', Math.ceil((Date.parse(failures.lockedUntil) - now.getTime()) / 1000));
    }
    const account = USERNAME_PATTERN.test(username) ? await this.accounts.getAccount(username) : null;
    // An unknown name costs the same scrypt as a known one, so timing does not tell them apart.
    this.decoy ??= decoyHash();
    const ok = await verifyPassword(password, account?.passwordHash ?? (await this.decoy));
    if (!account || !ok) {
      const after = await this.accounts.recordLoginFailure({
        key,
        now: now.toISOString(),
        windowStart: new Date(now.getTime() - this.windowMs).toISOString(),
        max: this.maxFailures,
        lockUntil: new Date(now.getTime() + this.lockMs).toISOString(),
      });
      if (after.lockedUntil) throw new LoginError('locked', Math.ceil(this.lockMs / 1000));
      throw new LoginError('wrong_credentials');
    }
    if (account.disabled) throw new LoginError('disabled');
    await this.accounts.clearLoginFailures(key);
    return this.open(username, account.role, ip);
  }

  /**
   * Opens a session for an officer the OpenID provider vouched for, creating or updating a
   * password-less account with the role the provider's claim maps to. A local account (one with a
   * password) of the same name is never taken over.
   */
  async loginSso(usernameRaw: string, role: Role, ip: string): Promise<NewSession> {
    const username = normalizeUsername(usernameRaw);
    if (!USERNAME_PATTERN.test(username)) throw new LoginError('wrong_credentials');
    const account = await this.accounts.getAccount(username);
    const at = this.now().toISOString();
    if (account?.passwordHash) throw new LoginError('local_account');
    if (account?.disabled) throw new LoginError('disabled');
    if (!account) await this.accounts.createAccount({ username, role, passwordHash: null, now: at });
    else if (account.role !== role) await this.accounts.updateAccount(username, { role }, at);
    return this.open(username, role, ip);
  }

  private async open(username: string, role: Role, ip: string): Promise<NewSession> {
    const now = this.now();
    const id = randomBytes(32).toString('base64url');
    const at = now.toISOString();
    const expiresAt = new Date(now.getTime() + this.settings.maxHours * 60 * MINUTE).toISOString();
    await this.accounts.createSession({
      idHash: sha256(id),
      username,
      createdAt: at,
      lastSeenAt: at,
      expiresAt,
      ip,
    });
    await this.accounts.updateAccount(username, { lastLoginAt: at }, at);
    return { cookieValue: id, officer: { username, role, via: 'session', expiresAt } };
  }

  /** The officer of a session cookie, or null when it is unknown, expired or its account disabled. */
  async resolve(cookieValue: string): Promise<Officer | null> {
    if (!/^[\w-]{20,100}$/u.test(cookieValue)) return null;
    const idHash = sha256(cookieValue);
    const s = await this.accounts.getSession(idHash);
    if (!s) return null;
    const now = this.now().getTime();
    const idleEnd = Date.parse(s.lastSeenAt) + this.settings.idleMinutes * MINUTE;
    if (s.disabled || now >= idleEnd || now >= Date.parse(s.expiresAt)) {
      await this.accounts.deleteSession(idHash);
      return null;
    }
    if (now - Date.parse(s.lastSeenAt) >= TOUCH_EVERY_MS)
      await this.accounts.touchSession(idHash, new Date(now).toISOString());
    return { username: s.username, role: s.role, via: 'session', expiresAt: s.expiresAt };
  }

  /** Ends a session (sign-out); unknown ids are ignored. */
  async logout(cookieValue: string): Promise<void> {
    await this.accounts.deleteSession(sha256(cookieValue));
  }

  /** Forgets expired sessions and stale failure counts; returns how many sessions went. */
  async prune(): Promise<number> {
    const now = this.now();
    const iso = now.toISOString();
    await this.accounts.pruneLoginFailures(new Date(now.getTime() - this.windowMs).toISOString(), iso);
    return this.accounts.deleteExpiredSessions(
      new Date(now.getTime() - this.settings.idleMinutes * MINUTE).toISOString(),
      iso,
    );
  }
}

/** An AppError for a refused sign-in, with the Vietnamese reason. */
export function loginRefusal(err: LoginError): AppError {
  if (err.refusal === 'locked') {
    const minutes = Math.max(1, Math.ceil(err.retryAfterS / 60));
    return new AppError('rate_limited', 'too many failed sign-ins for this username from this address', {
      reason: `Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ${minutes} phút.`,
    });
  }
  if (err.refusal === 'local_account') {
    return new AppError('forbidden', 'a local account with a password has this name', {
      reason:
        'Tên này thuộc một tài khoản đăng nhập bằng mật khẩu; không thể đăng nhập một lần (SSO) vào tài khoản đó.',
    });
  }
  if (err.refusal === 'disabled') {
    return new AppError('forbidden', 'the account is disabled', {
      reason: 'Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị viên.',
    });
  }
  return new AppError('unauthorized', 'wrong username or password', {
    reason: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  });
}
