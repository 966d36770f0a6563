import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Citation } from '../../src/answer/types.js';
import {
  COMMENT_CHARS,
  MESSAGE_CHARS,
  MIGRATIONS,
  SqliteStore,
  migrate,
  openStore,
} from '../../src/store/index.js';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tlcv-store-'));
  file = path.join(dir, 'db', 'assistant.db');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A clock the test moves by hand, so orderings by time are deterministic. */
function manualClock(startIso = '2025-03-01T08:00:00.000Z') {
  let t = Date.parse(startIso);
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
}

const cited: Citation[] = [
  {
    n: 1,
    label: 'Thủ tục 1.001193 – Đăng ký khai sinh · Phí, lệ phí',
    sourceId: '1.001193',
    chunkId: '1.001193#phi',
    url: 'https://dichvucong.gov.vn/p/1.001193',
    field: 'phi',
  },
  {
    n: 2,
    label: 'Khoản 1 Điều 9 Nghị định 123/2015/NĐ-CP',
    sourceId: '123/2015/NĐ-CP',
    chunkId: 'nd123#d9k1',
    page: 4,
  },
];

describe('schema migrations', () => {
  it('creates the schema once and keeps conversations, messages and citations across a restart', async () => {
    const a = SqliteStore.open(file);
    await a.ensureConversation({ id: 'c1', channel: 'web' });
    await a.addMessage({ conversationId: 'c1', role: 'user', text: 'lệ phí khai sinh?', channel: 'web' });
    await a.addMessage({
      conversationId: 'c1',
      role: 'assistant',
      text: 'Miễn lệ phí [1]',
      channel: 'web',
      citations: cited,
      grounded: true,
      outcome: 'grounded',
      confidence: 0.82,
    });
    await a.saveState('c1', '{"lastResults":[]}');
    await a.close();

    const b = SqliteStore.open(file);
    const messages = await b.listMessages('c1');
    expect(messages.map((m) => [m.role, m.text])).toEqual([
      ['user', 'lệ phí khai sinh?'],
      ['assistant', 'Miễn lệ phí [1]'],
    ]);
    expect(messages[0]).toMatchObject({ citations: [], grounded: null, outcome: null, confidence: null });
    expect(messages[1]).toMatchObject({
      citations: cited,
      grounded: true,
      outcome: 'grounded',
      confidence: 0.82,
      channel: 'web',
    });
    expect(await b.getMessage(messages[1]!.id)).toEqual(messages[1]);
    expect((await b.getConversation('c1'))?.state).toBe('{"lastResults":[]}');
    await b.close();

    const raw = new BetterSqlite3(file);
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    expect(migrate(raw)).toBe(0);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a database written by a newer version, with a clear message', async () => {
    await SqliteStore.open(file).close();
    const raw = new BetterSqlite3(file);
    raw
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, ?, ?)')
      .run('future', new Date().toISOString());
    raw.close();
    expect(() => SqliteStore.open(file)).toThrow(
      expect.objectContaining({
        code: 'config_invalid',
        message: `the database schema is version 99, newer than this program knows (${MIGRATIONS.at(-1)!.version}); upgrade the program or use another DATA_DIR`,
      }),
    );
  });

  it('reports a file that is not a database as config_invalid, naming the file', async () => {
    await writeFile(path.join(dir, 'broken.db'), 'this is not sqlite '.repeat(100));
    expect(() => SqliteStore.open(path.join(dir, 'broken.db'))).toThrow(
      expect.objectContaining({
        code: 'config_invalid',
        source: path.join(dir, 'broken.db'),
        message: expect.stringContaining('cannot open the database'),
      }),
    );
  });

  it('keeps webhook ids seen by a version-2 database when upgrading it', async () => {
    const old = path.join(dir, 'v2.db');
    const raw = new BetterSqlite3(old);
    migrate(raw, MIGRATIONS.slice(0, 2));
    raw
      .prepare('INSERT INTO seen_events (source, event_id, seen_at) VALUES (?, ?, ?)')
      .run('zalo', 'old', Date.parse('2025-01-02T03:04:05.678Z'));
    raw.close();
    const s = SqliteStore.open(old);
    expect(await s.markEventSeen('zalo', 'old')).toBe(false);
    await s.close();
    const check = new BetterSqlite3(old);
    expect(check.prepare('SELECT seen_at FROM seen_events').pluck().get()).toBe('2025-01-02T03:04:05.678Z');
    check.close();
  });

  it('opens <dataDir>/assistant.db, creating the folder', async () => {
    const store = await openStore(path.join(dir, 'data'));
    await store.close();
    expect(existsSync(path.join(dir, 'data', 'assistant.db'))).toBe(true);
  });
});

describe('conversations and messages', () => {
  it('keeps the first channel and user when a conversation is ensured twice, and stamps state saves', async () => {
    const clock = manualClock();
    const s = SqliteStore.open(':memory:', clock);
    await s.ensureConversation({ id: 'c', channel: 'zalo', userRef: 'zalo-user-1' });
    clock.advance(1_000);
    await s.ensureConversation({ id: 'c', channel: 'web' });
    clock.advance(1_000);
    await s.saveState('c', '{"focus":"1.001193"}');
    expect(await s.getConversation('c')).toEqual({
      id: 'c',
      channel: 'zalo',
      userRef: 'zalo-user-1',
      createdAt: '2025-03-01T08:00:00.000Z',
      updatedAt: '2025-03-01T08:00:02.000Z',
      state: '{"focus":"1.001193"}',
    });
    expect(await s.getConversation('nope')).toBeNull();
    await s.close();
  });

  it('lists the last messages oldest first, even when written in the same millisecond', async () => {
    const s = SqliteStore.open(':memory:', manualClock());
    await s.ensureConversation({ id: 'c', channel: 'api' });
    for (let i = 1; i <= 5; i++)
      await s.addMessage({
        conversationId: 'c',
        role: i % 2 ? 'user' : 'assistant',
        text: `m${i}`,
        channel: 'api',
      });
    expect((await s.listMessages('c')).map((m) => m.text)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect((await s.listMessages('c', 2)).map((m) => m.text)).toEqual(['m4', 'm5']);
    expect(await s.listMessages('other')).toEqual([]);
    await s.close();
  });

  it('refuses messages and state for a conversation that does not exist', async () => {
    const s = SqliteStore.open(':memory:');
    await expect(
      s.addMessage({ conversationId: 'ghost', role: 'user', text: 'x', channel: 'api' }),
    ).rejects.toMatchObject({ code: 'not_found', message: 'conversation ghost does not exist' });
    await expect(s.saveState('ghost', '{}')).rejects.toMatchObject({ code: 'not_found' });
    await s.close();
  });

  it('truncates an over-long message and comment instead of refusing them', async () => {
    const s = SqliteStore.open(':memory:');
    await s.ensureConversation({ id: 'c', channel: 'web' });
    const m = await s.addMessage({
      conversationId: 'c',
      role: 'assistant',
      text: 'a'.repeat(MESSAGE_CHARS - 1) + '😀😀',
      channel: 'web',
    });
    const stored = await s.getMessage(m.id);
    expect(stored?.text).toBe('a'.repeat(MESSAGE_CHARS - 1));
    await s.addFeedback({ conversationId: 'c', messageId: m.id, rating: 'down', comment: 'x'.repeat(5_000) });
    expect((await s.listFeedback())[0]?.comment).toHaveLength(COMMENT_CHARS);
    await s.close();
  });
});

describe('turns', () => {
  it('records a turn in one transaction: conversation, question, answer, gap and new state', async () => {
    const store = SqliteStore.open(file);
    expect(await store.turnState('c-turn')).toBeNull();
    const done = await store.recordTurn({
      conversation: { id: 'c-turn', channel: 'web' },
      question: { text: 'giá vàng hôm nay', channel: 'web' },
      answer: { text: 'Xin lỗi…', channel: 'web', grounded: false, outcome: 'declined', confidence: 0.1 },
      stateJson: '{"focus":null}',
      unanswered: { question: 'giá vàng hôm nay', channel: 'web', normalized: 'gia vang hom nay' },
    });
    const messages = await store.listMessages('c-turn');
    expect(messages.map((m) => [m.role, m.id])).toEqual([
      ['user', done.questionId],
      ['assistant', done.answerId],
    ]);
    expect((await store.getConversation('c-turn'))?.state).toBe('{"focus":null}');
    expect((await store.gapReport())[0]).toMatchObject({ normalized: 'gia vang hom nay', count: 1 });
    // The next turn reads the saved state.
    expect(await store.turnState('c-turn')).toBe('{"focus":null}');
    await store.close();
  });

  it('keeps the question of a turn whose answering failed, and leaves the state as it was', async () => {
    const store = SqliteStore.open(file);
    await store.recordTurn({
      conversation: { id: 'c-fail', channel: 'api' },
      question: { text: 'một', channel: 'api' },
      answer: { text: 'đáp', channel: 'api' },
      stateJson: '{"n":1}',
    });
    const only = await store.recordTurn({
      conversation: { id: 'c-fail', channel: 'api' },
      question: { text: 'hai', channel: 'api' },
    });
    expect(only.answerId).toBeNull();
    expect((await store.listMessages('c-fail')).map((m) => m.text)).toEqual(['một', 'đáp', 'hai']);
    expect(await store.turnState('c-fail')).toBe('{"n":1}');
    await store.close();
  });

  it('commits turns recorded together, and a turn that fails in the group loses only itself', async () => {
    const store = SqliteStore.open(file);
    const ids = Array.from({ length: 20 }, (_, i) => `c-group-${i}`);
    const outcomes = await Promise.allSettled([
      ...ids.map((id, i) =>
        store.recordTurn({
          conversation: { id, channel: 'api' },
          question: { text: `hỏi ${i}`, channel: 'api' },
          answer: { text: `đáp ${i}`, channel: 'api' },
          stateJson: `{"n":${i}}`,
        }),
      ),
      // An answer without text: this turn fails halfway, after its conversation and question were written.
      store.recordTurn({
        conversation: { id: 'c-bad', channel: 'api' },
        question: { text: 'x', channel: 'api' },
        answer: { text: null as never, channel: 'api' },
        stateJson: '{}',
      }),
    ]);
    await store.close();
    expect(outcomes.slice(0, 20).every((o) => o.status === 'fulfilled')).toBe(true);
    expect(outcomes[20]!.status).toBe('rejected');
    // Read back through a new connection: every good turn is on disk, nothing of the bad one.
    const reopened = SqliteStore.open(file);
    for (const [i, id] of ids.entries()) {
      const o = outcomes[i] as PromiseFulfilledResult<{ questionId: string; answerId: string | null }>;
      expect((await reopened.listMessages(id)).map((m) => m.id)).toEqual([
        o.value.questionId,
        o.value.answerId,
      ]);
      expect(await reopened.turnState(id)).toBe(`{"n":${i}}`);
    }
    expect(await reopened.listMessages('c-bad')).toEqual([]);
    expect(await reopened.getConversation('c-bad')).toBeNull();
    await reopened.close();
  });

  it('lets the next turn read the state of a turn that is still waiting for its commit', async () => {
    const store = SqliteStore.open(file);
    const first = store.recordTurn({
      conversation: { id: 'c-seq', channel: 'api' },
      question: { text: 'một', channel: 'api' },
      answer: { text: 'đáp', channel: 'api' },
      stateJson: '{"focus":"1.001193"}',
    });
    expect(await store.turnState('c-seq')).toBe('{"focus":"1.001193"}');
    await first;
    expect(await store.turnState('c-seq')).toBe('{"focus":"1.001193"}');
    await store.close();
  });

  it('writes a queued turn before closing instead of dropping it', async () => {
    const store = SqliteStore.open(file);
    const pending = store.recordTurn({
      conversation: { id: 'c-close', channel: 'api' },
      question: { text: 'hỏi rồi tắt', channel: 'api' },
    });
    await store.close();
    await pending;
    const reopened = SqliteStore.open(file);
    expect(await reopened.listMessages('c-close')).toHaveLength(1);
    await reopened.close();
  });

  it('gives messages time-ordered UUIDs (version 7), so new rows land at the end of the index', async () => {
    const store = SqliteStore.open(file);
    const first = await store.recordTurn({
      conversation: { id: 'c-v7', channel: 'api' },
      question: { text: 'a', channel: 'api' },
    });
    await new Promise((r) => setTimeout(r, 3));
    const second = await store.recordTurn({
      conversation: { id: 'c-v7', channel: 'api' },
      question: { text: 'b', channel: 'api' },
    });
    for (const id of [first.questionId, second.questionId])
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.questionId < second.questionId).toBe(true);
    await store.close();
  });
});

describe('feedback', () => {
  async function conversationWithAnswer(s: SqliteStore, id: string, question: string, answer: string) {
    await s.ensureConversation({ id, channel: 'web' });
    await s.addMessage({ conversationId: id, role: 'user', text: question, channel: 'web' });
    return (
      await s.addMessage({
        conversationId: id,
        role: 'assistant',
        text: answer,
        channel: 'web',
        grounded: true,
        outcome: 'grounded',
      })
    ).id;
  }

  it('keeps one rating per answer: a second click replaces the first', async () => {
    const clock = manualClock();
    const s = SqliteStore.open(':memory:', clock);
    const answer = await conversationWithAnswer(s, 'c', 'lệ phí khai sinh?', 'Miễn lệ phí [1]');
    await s.addFeedback({ conversationId: 'c', messageId: answer, rating: 'up' });
    clock.advance(500);
    await s.addFeedback({ conversationId: 'c', messageId: answer, rating: 'down', comment: 'sai' });
    expect(await s.listFeedback()).toEqual([
      expect.objectContaining({
        conversationId: 'c',
        messageId: answer,
        rating: 'down',
        comment: 'sai',
        question: 'lệ phí khai sinh?',
        answer: 'Miễn lệ phí [1]',
        createdAt: '2025-03-01T08:00:00.500Z',
      }),
    ]);
    await s.close();
  });

  it('rejects a rating for an unknown message, another conversation’s message, or an unknown conversation', async () => {
    const s = SqliteStore.open(':memory:');
    const answer = await conversationWithAnswer(s, 'a', 'q', 'x');
    await s.ensureConversation({ id: 'b', channel: 'web' });
    await expect(
      s.addFeedback({ conversationId: 'a', messageId: 'nope', rating: 'up' }),
    ).rejects.toMatchObject({ code: 'not_found', message: 'message nope does not exist in conversation a' });
    await expect(
      s.addFeedback({ conversationId: 'b', messageId: answer, rating: 'up' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(s.addFeedback({ conversationId: 'ghost', rating: 'up' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'conversation ghost does not exist',
    });
    expect(await s.listFeedback()).toEqual([]);
    await s.close();
  });

  it('lists feedback newest first, filtered by rating and paged, with question and answer text', async () => {
    const clock = manualClock();
    const s = SqliteStore.open(':memory:', clock);
    for (const [id, rating] of [
      ['c1', 'up'],
      ['c2', 'down'],
      ['c3', 'down'],
    ] as const) {
      const answer = await conversationWithAnswer(s, id, `hỏi ${id}`, `đáp ${id}`);
      await s.addFeedback({ conversationId: id, messageId: answer, rating });
      clock.advance(1_000);
    }
    await s.addFeedback({ conversationId: 'c1', rating: 'up', comment: 'hữu ích' });
    expect((await s.listFeedback()).map((f) => [f.conversationId, f.question])).toEqual([
      ['c1', null],
      ['c3', 'hỏi c3'],
      ['c2', 'hỏi c2'],
      ['c1', 'hỏi c1'],
    ]);
    expect((await s.listFeedback({ rating: 'down' })).map((f) => f.answer)).toEqual(['đáp c3', 'đáp c2']);
    expect((await s.listFeedback({ limit: 1, offset: 1 })).map((f) => f.conversationId)).toEqual(['c3']);
    await s.close();
  });
});

describe('gap report', () => {
  it('groups unanswered questions by folded text, most frequent first, with the newest wording and every channel', async () => {
    const clock = manualClock();
    const s = SqliteStore.open(':memory:', clock);
    const asked = [
      ['giá vàng', 'gia vang', 'zalo'],
      ['xe buýt', 'xe buyt', 'web'],
      ['Giá vàng hôm nay', 'gia vang', 'web'],
      ['giờ làm việc', 'gio lam viec', 'api'],
      ['GIÁ VÀNG', 'gia vang', 'zalo'],
      ['xe buyt', 'xe buyt', 'web'],
    ] as const;
    for (const [question, normalized, channel] of asked) {
      await s.addUnanswered({ conversationId: 'c', question, normalized, channel });
      clock.advance(60_000);
    }
    expect(await s.gapReport()).toEqual([
      {
        normalized: 'gia vang',
        example: 'GIÁ VÀNG',
        count: 3,
        lastAskedAt: '2025-03-01T08:04:00.000Z',
        channels: ['web', 'zalo'],
      },
      {
        normalized: 'xe buyt',
        example: 'xe buyt',
        count: 2,
        lastAskedAt: '2025-03-01T08:05:00.000Z',
        channels: ['web'],
      },
      {
        normalized: 'gio lam viec',
        example: 'giờ làm việc',
        count: 1,
        lastAskedAt: '2025-03-01T08:03:00.000Z',
        channels: ['api'],
      },
    ]);
    expect((await s.gapReport({ limit: 1 })).map((g) => g.normalized)).toEqual(['gia vang']);
    const recent = await s.gapReport({ since: '2025-03-01T08:03:00.000Z' });
    expect(recent.map((g) => [g.normalized, g.count])).toEqual([
      ['xe buyt', 1],
      ['gia vang', 1],
      ['gio lam viec', 1],
    ]);
    await s.close();
  });
});

describe('webhook de-duplication', () => {
  it('accepts an event id once per source, remembers it across a restart, and forgets it after pruning', async () => {
    const clock = manualClock();
    const a = SqliteStore.open(file, clock);
    expect(await a.markEventSeen('zalo', 'msg-1')).toBe(true);
    expect(await a.markEventSeen('zalo', 'msg-1')).toBe(false);
    expect(await a.markEventSeen('teams', 'msg-1')).toBe(true);
    await a.close();

    const b = SqliteStore.open(file, clock);
    expect(await b.markEventSeen('zalo', 'msg-1')).toBe(false);
    clock.advance(3 * 86_400_000);
    expect(await b.markEventSeen('zalo', 'msg-2')).toBe(true);
    expect(await b.pruneEvents(86_400_000)).toBe(2);
    expect(await b.markEventSeen('zalo', 'msg-2')).toBe(false);
    expect(await b.markEventSeen('zalo', 'msg-1')).toBe(true);
    await expect(b.pruneEvents(-1)).rejects.toMatchObject({ code: 'bad_request' });
    await b.close();
  });
});

describe('settings', () => {
  it('creates a setting only when absent and replaces it only when the expected value still holds', async () => {
    const s = SqliteStore.open(':memory:');
    expect(await s.getSetting('zalo.refresh_token')).toBeNull();
    expect(await s.compareAndSetSetting('zalo.refresh_token', null, 'A')).toBe(true);
    expect(await s.compareAndSetSetting('zalo.refresh_token', null, 'X')).toBe(false);
    expect(await s.compareAndSetSetting('zalo.refresh_token', 'stale', 'X')).toBe(false);
    expect(await s.compareAndSetSetting('zalo.refresh_token', 'A', 'B')).toBe(true);
    expect(await s.getSetting('zalo.refresh_token')).toBe('B');
    await s.setSetting('zalo.refresh_token', 'C');
    await s.setSetting('other', 'v');
    expect([await s.getSetting('zalo.refresh_token'), await s.getSetting('other')]).toEqual(['C', 'v']);
    await s.close();
  });

  it('lets exactly one of two processes win a token rotation from the same expected value', async () => {
    const first = SqliteStore.open(file);
    const second = SqliteStore.open(file);
    await first.setSetting('token', 'A');
    const results = await Promise.all([
      first.compareAndSetSetting('token', 'A', 'B'),
      second.compareAndSetSetting('token', 'A', 'C'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await first.getSetting('token')).toBe(results[0] ? 'B' : 'C');
    await Promise.all([first.close(), second.close()]);
  });
});

describe('audit log', () => {
  it('lists admin actions newest first, paged, with the outcome and detail', async () => {
    const s = SqliteStore.open(':memory:', manualClock());
    await s.addAudit({ actor: 'admin', action: 'upload', target: 'nd-123.pdf', result: 'ok' });
    await s.addAudit({
      actor: 'admin',
      action: 'reindex',
      result: 'error',
      detail: 'pdf_encrypted: nd-124.pdf',
    });
    await s.addAudit({
      actor: 'cli',
      action: 'rollback',
      target: 'snap-2',
      result: 'ok',
      detail: 'y'.repeat(3_000),
    });
    const all = await s.listAudit();
    expect(all.map((a) => a.action)).toEqual(['rollback', 'reindex', 'upload']);
    expect(all[1]).toEqual({
      id: 2,
      createdAt: '2025-03-01T08:00:00.000Z',
      actor: 'admin',
      action: 'reindex',
      target: null,
      result: 'error',
      detail: 'pdf_encrypted: nd-124.pdf',
    });
    expect(all[0]?.detail).toHaveLength(COMMENT_CHARS);
    expect((await s.listAudit({ limit: 1, offset: 2 })).map((a) => a.target)).toEqual(['nd-123.pdf']);
    await s.close();
  });
});
