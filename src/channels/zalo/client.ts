import type { Logger } from 'pino';
import type { AssistantStore } from '../../answer/store.js';

/** Where tokens live in the settings table; the refresh token rotates on every refresh. */
export const TOKEN_SETTING = 'zalo.tokens';

/** The OA's current tokens. */
export interface ZaloTokens {
  accessToken: string;
  refreshToken: string;
  /** ISO time the access token expires, when Zalo said. */
  expiresAt?: string;
}

/** What the client needs. */
export interface ZaloClientOptions {
  appId: string;
  appSecret?: string;
  apiBaseUrl: string;
  oauthBaseUrl: string;
  /** Tokens from the configuration, used until the database holds newer ones. */
  initialTokens?: Partial<ZaloTokens>;
  store: AssistantStore;
  logger: Logger;
  /** Attempts for network errors and 5xx (default 4), with exponential backoff from `backoffMs` (default 250). */
  attempts?: number;
  backoffMs?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
}

/** A message Zalo refused; `code` is Zalo's error number. */
export class ZaloApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ZaloApiError';
  }
}

/** Zalo's "access token expired / invalid" error. */
const TOKEN_EXPIRED = -216;

/**
 * Sends customer-service text messages through the OA API. An expired token (-216) is refreshed
 * once and the message retried; concurrent refreshes in this process share one request, and the
 * database compare-and-set keeps two processes from overwriting each other's rotated tokens.
 * Network errors and 5xx are retried with exponential backoff up to a bound.
 */
export class ZaloClient {
  private refreshing: Promise<ZaloTokens> | null = null;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly o: ZaloClientOptions) {
    this.attempts = o.attempts ?? 4;
    this.backoffMs = o.backoffMs ?? 250;
    this.timeoutMs = o.timeoutMs ?? 10_000;
  }

  /** Sends one text message to a user; throws ZaloApiError or the last network error after the retries. */
  async sendText(userId: string, text: string): Promise<void> {
    let tokens = await this.tokens();
    for (let refreshed = false; ; refreshed = true) {
      // A time-out or a connection dropped after sending may have delivered the message: sending
      // it again could give the citizen the same answer twice, so only failures before delivery are retried.
      const result = await this.withRetries(
        'send',
        () =>
          this.postJson(
            `${this.o.apiBaseUrl}/v3.0/oa/message/cs`,
            { recipient: { user_id: userId }, message: { text } },
            tokens.accessToken,
          ),
        notDelivered,
      );
      const code = typeof result.error === 'number' ? result.error : Number(result.error ?? 0);
      if (code === 0) return;
      if (code === TOKEN_EXPIRED && !refreshed) {
        tokens = await this.refresh(tokens.accessToken);
        continue;
      }
      throw new ZaloApiError(code, `Zalo refused the message: ${String(result.message ?? code)}`);
    }
  }

  /** The current tokens: the database's when present, else the configured ones. */
  async tokens(): Promise<ZaloTokens> {
    const stored = await this.o.store.getSetting(TOKEN_SETTING);
    if (stored) return JSON.parse(stored) as ZaloTokens;
    return {
      accessToken: this.o.initialTokens?.accessToken ?? '',
      refreshToken: this.o.initialTokens?.refreshToken ?? '',
    };
  }

  /**
   * Refreshes after `failedAccessToken` was refused. If someone else already replaced it, their
   * tokens are used; otherwise one refresh request runs and its tokens are stored by compare-and-set.
   */
  refresh(failedAccessToken: string): Promise<ZaloTokens> {
    this.refreshing ??= this.doRefresh(failedAccessToken).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(failedAccessToken: string): Promise<ZaloTokens> {
    const storedJson = await this.o.store.getSetting(TOKEN_SETTING);
    const current = storedJson ? (JSON.parse(storedJson) as ZaloTokens) : await this.tokens();
    if (current.accessToken !== failedAccessToken && current.accessToken !== '') return current;
    if (!current.refreshToken)
      throw new ZaloApiError(
        TOKEN_EXPIRED,
        'Zalo access token expired and no refresh token is configured (ZALO_REFRESH_TOKEN)',
      );
    if (!this.o.appSecret)
      throw new ZaloApiError(
        TOKEN_EXPIRED,
        'Zalo access token expired and ZALO_APP_SECRET is not set, so it cannot be refreshed',
      );
    const body = new URLSearchParams({
      refresh_token: current.refreshToken,
      app_id: this.o.appId,
      grant_type: 'refresh_token',
    });
    const result = await this.withRetries('refresh', async () => {
      const res = await fetch(`${this.o.oauthBaseUrl}/v4/oa/access_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', secret_key: this.o.appSecret! },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return this.readJson(res);
    });
    if (typeof result.access_token !== 'string' || typeof result.refresh_token !== 'string') {
      // Another process may have used the same refresh token a moment earlier: take its tokens.
      const now = await this.o.store.getSetting(TOKEN_SETTING);
      if (now && now !== storedJson) return JSON.parse(now) as ZaloTokens;
      throw new ZaloApiError(
        Number(result.error ?? TOKEN_EXPIRED),
        `Zalo token refresh failed: ${String(result.error_description ?? result.error_name ?? result.message ?? 'no token in the answer')}`,
      );
    }
    const expiresIn = Number(result.expires_in);
    const next: ZaloTokens = {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      ...(Number.isFinite(expiresIn) && expiresIn > 0
        ? { expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() }
        : {}),
    };
    const nextJson = JSON.stringify(next);
    if (!(await this.o.store.compareAndSetSetting(TOKEN_SETTING, storedJson, nextJson))) {
      const now = await this.o.store.getSetting(TOKEN_SETTING);
      if (now) return JSON.parse(now) as ZaloTokens;
      await this.o.store.setSetting(TOKEN_SETTING, nextJson);
    }
    this.o.logger.info({ expiresAt: next.expiresAt }, 'zalo access token refreshed');
    return next;
  }

  private async postJson(
    url: string,
    payload: unknown,
    accessToken: string,
  ): Promise<Record<string, unknown>> {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', access_token: accessToken },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.readJson(res);
  }

  /** A JSON answer; 5xx become retryable errors, other statuses Zalo errors. */
  private async readJson(res: Response): Promise<Record<string, unknown>> {
    const text = await res.text();
    if (res.status >= 500) throw new RetryableError(`Zalo answered HTTP ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ZaloApiError(-1, `Zalo answered HTTP ${res.status} with a body that is not JSON`);
    }
    if (typeof json !== 'object' || json === null)
      throw new ZaloApiError(-1, `Zalo answered HTTP ${res.status} with an unexpected body`);
    return json as Record<string, unknown>;
  }

  /** Calls again with backoff while `retryable` says the failure is worth another try, up to the attempts bound. */
  private async withRetries<T>(
    what: string,
    call: () => Promise<T>,
    retryable: (err: unknown) => boolean = transient,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (err) {
        if (!retryable(err) || attempt >= this.attempts) {
          if (!retryable(err) && transient(err))
            this.o.logger.warn(
              { what, err: (err as Error).message },
              'zalo call may have been delivered; not sent again',
            );
          throw err;
        }
        const delay = this.backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        this.o.logger.warn(
          { what, attempt, delayMs: Math.round(delay), err: (err as Error).message },
          'zalo call failed, retrying',
        );
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}

/** A 5xx answer: Zalo says the call failed. */
class RetryableError extends Error {}

/** A 5xx, a network error or a time-out: worth another try for a call that is safe to repeat. */
function transient(err: unknown): boolean {
  return (
    err instanceof RetryableError ||
    err instanceof TypeError ||
    (err as Error | null)?.name === 'TimeoutError'
  );
}

/** Connection failures that happen before a request is sent (refused, no route, name not found). */
const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** True when the message cannot have reached Zalo's users: Zalo answered 5xx, or the connection was never made. */
function notDelivered(err: unknown): boolean {
  if (err instanceof RetryableError) return true;
  const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
  return err instanceof TypeError && typeof code === 'string' && BEFORE_SENDING.has(code);
}
