import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { parseRoleMap, type OidcSettings } from './admin/auth/oidc.js';
import type { ZaloConfig } from './channels/zalo/webhook.js';
import { AppError } from './errors.js';
import { DEFAULT_OCR_SETTINGS, type OcrSettings } from './ingest/ocr/tesseract.js';
import type { EmbedderSetting } from './index/embeddings/index.js';
import type { RerankerSetting } from './retrieve/rerank.js';

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === undefined || s === '' ? undefined : s));

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  CORPUS_DIR: z.string().default('./corpus'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ADMIN_TOKEN: optionalString.refine(
    (t) => t === undefined || t === '' || t.length >= 16,
    'must be at least 16 characters (e.g. openssl rand -hex 24)',
  ),
  ADMIN_SESSION_IDLE_MIN: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  ADMIN_SESSION_MAX_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(12),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_ROLE_CLAIM: z.string().default('roles'),
  OIDC_ROLE_MAP: z.string().default('administrator=administrator,editor=editor,reader=reader'),
  OIDC_SCOPES: z.string().default('openid profile email'),
  RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(1024).default(50),
  LLM_BASE_URL: optionalString,
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  LLM_CONTEXT_CHARS: z.coerce.number().int().min(1000).max(1_000_000).default(12_000),
  EMBEDDINGS: z.enum(['lsa', 'hashed', 'none']).default('lsa'),
  EMBEDDINGS_DIM: z.coerce.number().int().min(16).max(4096).optional(),
  EMBEDDINGS_BASE_URL: optionalString,
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_ONNX_DIR: optionalString,
  RERANK_BASE_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//iu.test(u), 'must be an http:// or https:// address')
    .optional(),
  RERANK_API: z.enum(['cohere', 'tei']).default('cohere'),
  RERANK_MODEL: optionalString,
  RERANK_API_KEY: optionalString,
  RERANK_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  RERANK_CANDIDATES: z.coerce.number().int().min(2).max(100).default(20),
  RERANK_WEIGHT: z.coerce.number().min(0).max(1).default(0.5),
  SNAPSHOTS_KEEP: z.coerce.number().int().min(1).max(100).default(5),
  OCR_ENABLED: z.enum(['true', 'false']).default('true'),
  OCR_LANG: z
    .string()
    .regex(/^[a-z_]+(\+[a-z_]+)*$/u, 'tesseract language codes such as vie or vie+eng')
    .default('vie'),
  OCR_DPI: z.coerce.number().int().min(150).max(600).default(300),
  OCR_WORKERS: z.coerce.number().int().min(1).max(16).optional(),
  OCR_MIN_CONFIDENCE: z.coerce.number().min(0).max(100).default(70),
  TESSERACT_PATH: z.string().default('tesseract'),
  PDFTOPPM_PATH: z.string().default('pdftoppm'),
  HANDOFF_CONTACT: z
    .string()
    .default('Bộ phận Một cửa (tiếp nhận và trả kết quả) của Ủy ban nhân dân cấp xã nơi bạn cư trú'),
  WIDGET_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .refine(
      (v) =>
        v
          .split(',')
          .every((o) => o.trim() === '' || /^https?:\/\/[^/\s?#]+$/u.test(o.trim().replace(/\/+$/u, ''))),
      'must be a comma-separated list of origins such as https://dichvucong.langson.gov.vn (scheme and host, no path)',
    ),
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ANSWER_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(60),
  WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  TURNS_PER_BATCH: z.coerce.number().int().min(0).max(10_000).default(8),
  RETRIEVAL_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  LEXICAL_DECODED_MB: z.coerce.number().min(0).max(4096).default(32),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_API_BASE_URL: z.string().url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: z.string().url().default('https://oauth.zaloapp.com'),
  ZALO_REPLAY_WINDOW_S: z.coerce.number().int().min(10).max(86_400).default(600),
  ZALO_USER_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: optionalString,
});

/** Typed configuration, parsed once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  corpusDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  adminToken?: string;
  /** Officer sessions of the admin page: ended after `idleMinutes` unused, and `maxHours` after sign-in. */
  adminSessions: { idleMinutes: number; maxHours: number };
  /** Single sign-on of officers through OpenID Connect, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
  oidc?: OidcSettings;
  /** Days conversations, messages and feedback are kept (0: forever); the gap report keeps counts. */
  retentionDays: number;
  /** Largest file the admin API accepts, MB. */
  uploadMaxMb: number;
  llm?: { baseUrl: string; model: string; apiKey?: string; timeoutMs: number; contextChars: number };
  /** Confidence below which the assistant declines; the threshold fitted with the decide model (npm run train) when unset. */
  answerThreshold?: number;
  /** Messages per minute allowed per client IP and per conversation on public channels. */
  rateLimitPerMinute: number;
  /** Server processes sharing the port (node:cluster); each holds its own copy of the index. */
  workers: number;
  /** Chat turns started per batch of two event-loop passes, per process (0: all at once); see answer/turn-gate.ts. */
  turnsPerBatch: number;
  /** Retrievals kept for questions asked again (about 1.8 kB each on the tthc corpus); 0 turns the cache off. */
  retrievalCacheEntries: number;
  /** Megabytes of the most common terms' postings kept decoded in the serving process (faster BM25); 0 keeps none. */
  lexicalDecodedMb: number;
  bot: { appId?: string; appPassword?: string; appType?: string; tenantId?: string };
  embedder: EmbedderSetting;
  /** Cross-encoder endpoint re-ordering the first results; none unless RERANK_BASE_URL is set. */
  reranker?: RerankerSetting;
  snapshotsKeep: number;
  /** OCR of scanned PDFs and page images at ingest. */
  ocr: OcrSettings;
  handoffContact: string;
  widgetAllowedOrigins: string[];
  /** Public address of this server (e.g. https://trolycongvu.langson.gov.vn), for links in Zalo messages. */
  publicBaseUrl?: string;
  /** Zalo Official Account; the webhook is off unless app id and OA secret key are set. */
  zalo?: ZaloConfig;
}

function embedderFrom(env: z.infer<typeof schema>): EmbedderSetting {
  if (env.EMBEDDINGS_BASE_URL) {
    if (!env.EMBEDDINGS_MODEL) {
      throw new AppError('config_invalid', 'EMBEDDINGS_MODEL is required when EMBEDDINGS_BASE_URL is set');
    }
    return {
      kind: 'openai',
      baseUrl: env.EMBEDDINGS_BASE_URL,
      model: env.EMBEDDINGS_MODEL,
      ...(env.EMBEDDINGS_API_KEY ? { apiKey: env.EMBEDDINGS_API_KEY } : {}),
    };
  }
  if (env.EMBEDDINGS_ONNX_DIR) return { kind: 'onnx', dir: path.resolve(env.EMBEDDINGS_ONNX_DIR) };
  if (env.EMBEDDINGS === 'none') return { kind: 'none' };
  return { kind: env.EMBEDDINGS, ...(env.EMBEDDINGS_DIM ? { dimension: env.EMBEDDINGS_DIM } : {}) };
}

/**
 * The process environment over the `.env` file of the working directory when there is one (a
 * variable set in the environment wins). A malformed `.env` is an AppError naming it.
 */
export function environment(file = path.resolve('.env')): Record<string, string | undefined> {
  if (!existsSync(file)) return process.env;
  let fromFile: Record<string, string | undefined>;
  try {
    fromFile = parseEnv(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new AppError('config_invalid', `${file}: cannot read the environment file`, { cause: err });
  }
  return { ...fromFile, ...process.env };
}

/**
 * Parses the environment (default: the process environment over `.env`) into a Config; an empty
 * value means unset. Throws AppError('config_invalid') naming each bad variable.
 */
export function loadConfig(raw: Record<string, string | undefined> = environment()): Config {
  // "ANSWER_THRESHOLD=" in a copied .env.example must not become 0, nor "EMBEDDINGS_DIM=" fail.
  const env = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new AppError('config_invalid', `Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (Boolean(e.ZALO_APP_ID) !== Boolean(e.ZALO_OA_SECRET_KEY)) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration: ZALO_APP_ID and ZALO_OA_SECRET_KEY must be set together to turn on the Zalo webhook',
    );
  }
  // Checked here because botbuilder, which would refuse it, is only loaded with the first Bot Framework request.
  const appType = e.MicrosoftAppType ?? 'SingleTenant';
  if (e.MicrosoftAppId && appType !== 'MultiTenant' && !e.MicrosoftAppTenantId) {
    throw new AppError(
      'config_invalid',
      `Invalid configuration: MicrosoftAppTenantId is required with MicrosoftAppId when MicrosoftAppType is ${appType}${e.MicrosoftAppType ? '' : ' (the default)'}`,
    );
  }
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcParts !== 0 && oidcParts !== 3) {
    throw new AppError(
      'config_invalid',
      'Invalid configuration: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together to turn on single sign-on',
    );
  }
  const oidc: OidcSettings | undefined =
    e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
      ? {
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET,
          roleClaim: e.OIDC_ROLE_CLAIM,
          roleMap: parseRoleMap(e.OIDC_ROLE_MAP),
          scopes: e.OIDC_SCOPES,
        }
      : undefined;
  return {
    ...(oidc ? { oidc } : {}),
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    corpusDir: path.resolve(e.CORPUS_DIR),
    logLevel: e.LOG_LEVEL,
    ...(e.ADMIN_TOKEN ? { adminToken: e.ADMIN_TOKEN } : {}),
    adminSessions: { idleMinutes: e.ADMIN_SESSION_IDLE_MIN, maxHours: e.ADMIN_SESSION_MAX_HOURS },
    retentionDays: e.RETENTION_DAYS,
    uploadMaxMb: e.UPLOAD_MAX_MB,
    ...(e.LLM_BASE_URL
      ? {
          llm: {
            baseUrl: e.LLM_BASE_URL,
            model: e.LLM_MODEL ?? 'default',
            ...(e.LLM_API_KEY ? { apiKey: e.LLM_API_KEY } : {}),
            timeoutMs: e.LLM_TIMEOUT_MS,
            contextChars: e.LLM_CONTEXT_CHARS,
          },
        }
      : {}),
    embedder: embedderFrom(e),
    ...(e.RERANK_BASE_URL
      ? {
          reranker: {
            baseUrl: e.RERANK_BASE_URL,
            api: e.RERANK_API,
            ...(e.RERANK_MODEL ? { model: e.RERANK_MODEL } : {}),
            ...(e.RERANK_API_KEY ? { apiKey: e.RERANK_API_KEY } : {}),
            timeoutMs: e.RERANK_TIMEOUT_MS,
            depth: e.RERANK_CANDIDATES,
            weight: e.RERANK_WEIGHT,
          },
        }
      : {}),
    snapshotsKeep: e.SNAPSHOTS_KEEP,
    ocr: {
      ...DEFAULT_OCR_SETTINGS,
      enabled: e.OCR_ENABLED === 'true',
      lang: e.OCR_LANG,
      dpi: e.OCR_DPI,
      ...(e.OCR_WORKERS !== undefined ? { workers: e.OCR_WORKERS } : {}),
      minConfidence: e.OCR_MIN_CONFIDENCE,
      tesseract: e.TESSERACT_PATH,
      pdftoppm: e.PDFTOPPM_PATH,
      cacheDir: path.join(path.resolve(e.DATA_DIR), 'ocr-cache'),
    },
    handoffContact: e.HANDOFF_CONTACT,
    ...(e.ANSWER_THRESHOLD !== undefined ? { answerThreshold: e.ANSWER_THRESHOLD } : {}),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    workers: e.WORKERS,
    turnsPerBatch: e.TURNS_PER_BATCH,
    retrievalCacheEntries: e.RETRIEVAL_CACHE_ENTRIES,
    lexicalDecodedMb: e.LEXICAL_DECODED_MB,
    bot: {
      ...(e.MicrosoftAppId ? { appId: e.MicrosoftAppId } : {}),
      ...(e.MicrosoftAppPassword ? { appPassword: e.MicrosoftAppPassword } : {}),
      ...(e.MicrosoftAppType ? { appType: e.MicrosoftAppType } : {}),
      ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId } : {}),
    },
    widgetAllowedOrigins: e.WIDGET_ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim().replace(/\/+$/u, ''))
      .filter(Boolean),
    ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/u, '') } : {}),
    ...(e.ZALO_APP_ID && e.ZALO_OA_SECRET_KEY
      ? {
          zalo: {
            appId: e.ZALO_APP_ID,
            oaSecretKey: e.ZALO_OA_SECRET_KEY,
            ...(e.ZALO_APP_SECRET ? { appSecret: e.ZALO_APP_SECRET } : {}),
            ...(e.ZALO_ACCESS_TOKEN ? { accessToken: e.ZALO_ACCESS_TOKEN } : {}),
            ...(e.ZALO_REFRESH_TOKEN ? { refreshToken: e.ZALO_REFRESH_TOKEN } : {}),
            apiBaseUrl: e.ZALO_API_BASE_URL.replace(/\/+$/u, ''),
            oauthBaseUrl: e.ZALO_OAUTH_BASE_URL.replace(/\/+$/u, ''),
            replayWindowMs: e.ZALO_REPLAY_WINDOW_S * 1000,
            userPerMinute: e.ZALO_USER_PER_MINUTE,
          },
        }
      : {}),
  };
}
