import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { environment, loadConfig } from '../src/config.js';
import { nodeVersionProblem } from '../src/node-version.js';

const root = path.resolve(import.meta.dirname, '..');

describe('configuration on a first start', () => {
  it('.env.example copied to .env starts the assistant exactly as no configuration does', async () => {
    const example = parseEnv(await readFile(path.join(root, '.env.example'), 'utf8'));
    expect(loadConfig(example)).toEqual(loadConfig({}));
  });

  it('reads empty values as unset: the threshold stays the fitted one, an empty dimension is not an error', () => {
    const config = loadConfig({ ANSWER_THRESHOLD: '', EMBEDDINGS_DIM: '', MicrosoftAppType: '  ' });
    expect(config.answerThreshold).toBeUndefined();
    expect(config).toEqual(loadConfig({}));
  });

  it('reads .env from the working directory, with the environment winning', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-env-'));
    try {
      const file = path.join(dir, '.env');
      await writeFile(file, 'HANDOFF_CONTACT="Tổng đài 1022"\nRATE_LIMIT_PER_MINUTE=90\n');
      const env = environment(file);
      expect(env.HANDOFF_CONTACT).toBe('Tổng đài 1022');
      expect(loadConfig(env).rateLimitPerMinute).toBe(90);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads session lifetimes and retention, with their defaults', () => {
    expect(loadConfig({})).toMatchObject({
      adminSessions: { idleMinutes: 30, maxHours: 12 },
      retentionDays: 365,
    });
    expect(
      loadConfig({ ADMIN_SESSION_IDLE_MIN: '15', ADMIN_SESSION_MAX_HOURS: '8', RETENTION_DAYS: '0' }),
    ).toMatchObject({
      adminSessions: { idleMinutes: 15, maxHours: 8 },
      retentionDays: 0,
    });
    expect(() => loadConfig({ RETENTION_DAYS: '-1' })).toThrow(/RETENTION_DAYS/u);
    expect(() => loadConfig({ ADMIN_SESSION_IDLE_MIN: '0' })).toThrow(/ADMIN_SESSION_IDLE_MIN/u);
  });

  it('sends the LLM at most 12,000 characters of passages unless told, and refuses a room too small to answer from', () => {
    const llm = { LLM_BASE_URL: 'http://127.0.0.1:9/v1' };
    expect(loadConfig(llm).llm?.contextChars).toBe(12_000);
    expect(loadConfig({ ...llm, LLM_CONTEXT_CHARS: '6000' }).llm?.contextChars).toBe(6000);
    expect(() => loadConfig({ ...llm, LLM_CONTEXT_CHARS: '200' })).toThrow(/LLM_CONTEXT_CHARS/u);
  });

  it('sizes the retrieval cache in entries, 2,000 unless set, 0 turning it off', () => {
    expect(loadConfig({}).retrievalCacheEntries).toBe(2000);
    expect(loadConfig({ RETRIEVAL_CACHE_ENTRIES: '0' }).retrievalCacheEntries).toBe(0);
    expect(() => loadConfig({ RETRIEVAL_CACHE_ENTRIES: '-5' })).toThrow(/RETRIEVAL_CACHE_ENTRIES/u);
    expect(loadConfig({}).lexicalDecodedMb).toBe(32);
    expect(loadConfig({ LEXICAL_DECODED_MB: '0' }).lexicalDecodedMb).toBe(0);
    expect(() => loadConfig({ LEXICAL_DECODED_MB: 'lots' })).toThrow(/LEXICAL_DECODED_MB/u);
  });

  it('starts chat turns eight at a time unless told, 0 starting them all at once', () => {
    expect(loadConfig({}).turnsPerBatch).toBe(8);
    expect(loadConfig({ TURNS_PER_BATCH: '0' }).turnsPerBatch).toBe(0);
    expect(() => loadConfig({ TURNS_PER_BATCH: '2.5' })).toThrow(/TURNS_PER_BATCH/u);
  });

  it('turns single sign-on on only with issuer, client id and secret together', () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    expect(() => loadConfig({ OIDC_ISSUER: 'https://sso.langson.gov.vn/realms/tinh' })).toThrow(
      /OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET/u,
    );
    expect(
      loadConfig({
        OIDC_ISSUER: 'https://sso.langson.gov.vn/realms/tinh',
        OIDC_CLIENT_ID: 'tlcv',
        OIDC_CLIENT_SECRET: 's',
        OIDC_ROLE_CLAIM: 'groups',
        OIDC_ROLE_MAP: 'tlcv-admin=administrator',
      }).oidc,
    ).toEqual({
      issuer: 'https://sso.langson.gov.vn/realms/tinh',
      clientId: 'tlcv',
      clientSecret: 's',
      roleClaim: 'groups',
      roleMap: { 'tlcv-admin': 'administrator' },
      scopes: 'openid profile email',
    });
  });

  it('refuses a single-tenant Teams bot without its tenant id at start, not at its first message', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p' })).toThrow(
      /MicrosoftAppTenantId is required .* SingleTenant \(the default\)/u,
    );
    expect(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI' })).toThrow(
      /MicrosoftAppTenantId/u,
    );
    expect(
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p', MicrosoftAppTenantId: 't' }).bot,
    ).toEqual({
      appId: 'app',
      appPassword: 'p',
      tenantId: 't',
    });
    expect(
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p', MicrosoftAppType: 'MultiTenant' }).bot
        .appId,
    ).toBe('app');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'many' })).toThrow(/RATE_LIMIT_PER_MINUTE/u);
  });
});

describe('the Node.js version gate of npm start', () => {
  it('explains in one sentence that Node 20 is too old, naming the version needed', () => {
    expect(nodeVersionProblem('v20.20.2')).toMatch(
      /^Trợ lý Công vụ needs Node\.js 22 or newer and this is Node\.js v20\.20\.2; install Node 24/u,
    );
  });

  it('lets Node 22 and 24 start', () => {
    expect(nodeVersionProblem('v22.0.0')).toBeNull();
    expect(nodeVersionProblem('v24.21.0')).toBeNull();
  });
});
