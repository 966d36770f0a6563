import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { bundledRetriever, startApp } from '../helpers/app.js';

/** Personal data a citizen types into the chat never reaches the database (Nghị định 13/2023/NĐ-CP). */
let retriever: Retriever;
let dir: string;

beforeAll(async () => {
  retriever = await bundledRetriever();
  dir = await mkdtemp(path.join(tmpdir(), 'tlcv-pii-'));
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CCCD = '001203004567';
const CMND = '123456789';
const PHONE = '0912 345 678';
const EMAIL = 'an.nguyen@example.vn';

describe('personal data in the database', () => {
  it('keeps no CCCD/CMND number, phone number or e-mail after turns and feedback that contained them', async () => {
    const file = path.join(dir, 'assistant.db');
    const store = SqliteStore.open(file);
    const app = await startApp(() => retriever, { store, assistant: { store }, ratePerMinute: 100_000 });
    const chat = async (message: string, conversationId?: string) => {
      const res = await fetch(`${app.base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
      });
      return (await res.json()) as { conversationId: string; messageId: string; grounded: boolean };
    };
    // Answered, then a follow-up, then one declined (it goes to the gap report).
    const first = await chat(`Tôi số CCCD ${CCCD}, muốn cấp lại thẻ căn cước thì cần giấy tờ gì?`);
    expect(first.grounded).toBe(true);
    await chat(`nop o dau, goi lai cho toi so ${PHONE} nhe`, first.conversationId);
    const declined = await chat(`xin visa di Han Quoc, CMND ${CMND}, email ${EMAIL}`);
    expect(declined.grounded).toBe(false);
    const feedback = await fetch(`${app.base}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        conversationId: first.conversationId,
        messageId: first.messageId,
        rating: 'down',
        comment: `liên hệ ${EMAIL} hoặc ${PHONE}`,
      }),
    });
    expect(feedback.status).toBe(201);
    await app.close();
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      const tables = (
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
      ).map((t) => t.name);
      const everything = tables
        .flatMap((t) =>
          db
            .prepare(`SELECT * FROM "${t}"`)
            .all()
            .map((row) => JSON.stringify(row)),
        )
        .join('\n');
      // The turns were stored, masked.
      expect(everything).toContain('[CCCD]');
      expect(everything).toContain('[SĐT]');
      expect(everything).toContain('[email]');
      for (const secret of [CCCD, CMND, PHONE, PHONE.replace(/ /gu, ''), EMAIL])
        expect(everything).not.toContain(secret);
    } finally {
      db.close();
    }
  });
});
