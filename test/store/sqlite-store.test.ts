import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tlcv-store-'));
  file = path.join(dir, 'db', 'assistant.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('SQLite store', () => {
  it('creates the schema once and keeps conversations, messages and citations across a restart', async () => {
    const a = SqliteStore.open(file);
    await a.ensureConversation({ id: 'c1', channel: 'web' });
    await a.ensureConversation({ id: 'c1', channel: 'web' });
    await a.addMessage({ conversationId: 'c1', role: 'user', text: 'lệ phí khai sinh?', channel: 'web' });
    const cited = [{ n: 1, label: 'Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí', sourceId: '1.001193', chunkId: '1.001193#phi' }];
    await a.addMessage({ conversationId: 'c1', role: 'assistant', text: 'Miễn lệ phí [1]', channel: 'web', citations: cited, grounded: true, outcome: 'grounded' });
    await a.saveState('c1', '{"lastResults":[]}');
    await a.close();
    const b = SqliteStore.open(file);
    const messages = await b.listMessages('c1');
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(messages[1]).toMatchObject({ citations: cited, grounded: true, outcome: 'grounded' });
    expect((await b.getConversation('c1'))?.state).toBe('{"lastResults":[]}');
    await b.close();
    const raw = new BetterSqlite3(file);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    raw.close();
  });

  it('refuses a database written by a newer version, with a clear message', async () => {
    SqliteStore.open(file).close();
    const raw = new BetterSqlite3(file);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)').run('future', new Date().toISOString());
    raw.close();
    expect(() => SqliteStore.open(file)).toThrow(/schema is version 99, newer than this program knows/u);
  });

  it('keeps one rating per answer (a second click replaces the first) and rejects unknown messages', async () => {
    const s = SqliteStore.open(':memory:');
    await s.ensureConversation({ id: 'c', channel: 'api' });
    const m = await s.addMessage({ conversationId: 'c', role: 'assistant', text: 'x', channel: 'api' });
    await s.addFeedback({ conversationId: 'c', messageId: m.id, rating: 'up' });
    await s.addFeedback({ conversationId: 'c', messageId: m.id, rating: 'down', comment: 'sai' });
    expect(await s.listFeedback()).toMatchObject([{ rating: 'down', comment: 'sai' }]);
    await expect(s.addFeedback({ conversationId: 'c', messageId: 'nope', rating: 'up' })).rejects.toMatchObject({ code: 'not_found' });
    await s.close();
  });

  it('ranks the gap report by how often a question was asked', async () => {
    const s = SqliteStore.open(':memory:');
    for (const [q, n] of [['giá vàng', 'gia vang'], ['Giá vàng', 'gia vang'], ['xe buýt', 'xe buyt']]) {
      await s.addUnanswered({ conversationId: 'c', question: q!, normalized: n!, channel: 'zalo' });
    }
    const gaps = await s.gapReport();
    expect(gaps.map((g) => [g.normalized, g.count])).toEqual([['gia vang', 2], ['xe buyt', 1]]);
    await s.close();
  });

  it('remembers webhook event ids across restarts and lets exactly one compare-and-set win', async () => {
    const a = SqliteStore.open(file);
    expect(await a.markEventSeen('zalo', 'msg-1')).toBe(true);
    expect(await a.markEventSeen('zalo', 'msg-1')).toBe(false);
    await a.close();
    const b = SqliteStore.open(file);
    expect(await b.markEventSeen('zalo', 'msg-1')).toBe(false);
    expect(await b.compareAndSetSetting('token', null, 'A')).toBe(true);
    const results = await Promise.all([b.compareAndSetSetting('token', 'A', 'B'), b.compareAndSetSetting('token', 'A', 'C')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await b.addAudit({ actor: 'admin', action: 'reindex', result: 'ok' });
    expect(await b.listAudit()).toMatchObject([{ actor: 'admin', action: 'reindex', result: 'ok' }]);
    await b.close();
  });
});
