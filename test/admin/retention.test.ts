import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgePersonalData, scheduleRetention } from '../../src/admin/retention.js';
import { createLogger } from '../../src/channels/http/logger.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const DAY = 86_400_000;
let dir: string;
let file: string;
let t: number;
let store: SqliteStore;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tlcv-retention-'));
  file = path.join(dir, 'assistant.db');
  t = Date.parse('2024-01-10T09:00:00.000Z');
  store = SqliteStore.open(file, { now: () => new Date(t) });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

/** One turn: an answered question, or a declined one that goes to the gap report. */
async function turn(id: string, question: string, declined = false) {
  return store.recordTurn({
    conversation: { id, channel: 'web' },
    question: { text: question, channel: 'web' },
    answer: {
      text: declined ? 'Xin lỗi, chưa có thông tin.' : 'Cần tờ khai và giấy chứng sinh.',
      channel: 'web',
      grounded: !declined,
    },
    stateJson: '{}',
    ...(declined
      ? { unanswered: { question, channel: 'web' as const, normalized: question.toLowerCase() } }
      : {}),
  });
}

const count = (table: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());
  } finally {
    db.close();
  }
};

describe('personal data retention (RETENTION_DAYS)', () => {
  it('removes conversations, messages and feedback older than the period, keeps the gap counts, and audits the counts', async () => {
    // January 2024: an answered conversation with feedback, and two declined questions (one asked twice).
    const old = await turn('c-old', 'đăng ký khai sinh cần gì');
    await store.addFeedback({
      conversationId: 'c-old',
      messageId: old.answerId!,
      rating: 'down',
      comment: 'chưa đủ',
    });
    await turn('c-old-2', 'Xin visa đi Hàn Quốc', true);
    t += DAY;
    await turn('c-old-3', 'xin visa đi hàn quốc', true);
    // A conversation that started long ago and went on recently keeps its recent messages.
    await turn('c-long', 'đăng ký kết hôn ở đâu');
    // June 2025: recent conversations.
    t = Date.parse('2025-06-01T09:00:00.000Z');
    await turn('c-long', 'lệ phí bao nhiêu');
    const recent = await turn('c-new', 'Xin visa đi Hàn Quốc', true);
    await store.addFeedback({ conversationId: 'c-new', messageId: recent.answerId!, rating: 'up' });
    expect(await store.gapReport()).toEqual([
      {
        normalized: 'xin visa đi hàn quốc',
        example: 'Xin visa đi Hàn Quốc',
        count: 3,
        lastAskedAt: '2025-06-01T09:00:00.000Z',
        channels: ['web'],
      },
    ]);

    const counts = await purgePersonalData(store, 365, new Date(t));
    expect(counts).toEqual({
      before: '2024-06-01T09:00:00.000Z',
      conversations: 3,
      messages: 8,
      feedback: 1,
      unanswered: 2,
      gapsArchived: 1,
    });
    expect(count('conversations')).toBe(2);
    expect(count('messages')).toBe(4);
    expect(count('feedback')).toBe(1);
    expect(count('unanswered')).toBe(1);
    expect((await store.listMessages('c-long')).map((m) => m.text)).toEqual([
      'lệ phí bao nhiêu',
      'Cần tờ khai và giấy chứng sinh.',
    ]);
    expect(await store.getConversation('c-old')).toBeNull();
    // The gap report still counts the purged questions, without any link to a conversation.
    expect(await store.gapReport()).toEqual([
      {
        normalized: 'xin visa đi hàn quốc',
        example: 'Xin visa đi Hàn Quốc',
        count: 3,
        lastAskedAt: '2025-06-01T09:00:00.000Z',
        channels: ['web'],
      },
    ]);
    expect((await store.gapReport({ since: '2025-01-01T00:00:00.000Z' }))[0]?.count).toBe(1);
    const [entry] = await store.listAudit();
    expect(entry).toMatchObject({
      actor: 'system',
      action: 'purge',
      target: 'trước 2024-06-01T09:00:00.000Z',
      result: 'ok',
    });
    expect(JSON.parse(entry!.detail!)).toEqual(counts);

    // A year later the recent question is purged too, and the archived count adds up.
    t += 400 * DAY;
    const later = await purgePersonalData(store, 365, new Date(t));
    expect(later).toMatchObject({ conversations: 2, unanswered: 1, gapsArchived: 1 });
    expect(count('messages') + count('conversations') + count('feedback') + count('unanswered')).toBe(0);
    expect(await store.gapReport()).toEqual([
      {
        normalized: 'xin visa đi hàn quốc',
        example: 'Xin visa đi Hàn Quốc',
        count: 3,
        lastAskedAt: '2025-06-01T09:00:00.000Z',
        channels: ['web'],
      },
    ]);
  });

  it('keeps everything when RETENTION_DAYS is 0, and the scheduled job runs at start', async () => {
    await turn('c-1', 'câu hỏi cũ');
    t += 5000 * DAY;
    expect(await purgePersonalData(store, 0, new Date(t))).toBeNull();
    expect(count('messages')).toBe(2);
    expect(await store.listAudit()).toEqual([]);

    const job = scheduleRetention({
      store,
      days: 30,
      logger: createLogger({ level: 'silent' }),
      now: () => new Date(t),
    });
    await job.ran;
    job.stop();
    expect(count('messages')).toBe(0);
    expect((await store.listAudit())[0]).toMatchObject({ action: 'purge', result: 'ok' });
  });
});
