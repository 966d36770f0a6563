import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import { TurnGate } from '../../src/answer/turn-gate.js';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { bundledRetriever } from '../helpers/app.js';

const nextPass = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Enters the gate n times and records, in order, which callers have been let in. */
function enterMany(gate: TurnGate, n: number): number[] {
  const started: number[] = [];
  for (let i = 0; i < n; i++) void gate.enter().then(() => started.push(i));
  return started;
}

describe('TurnGate', () => {
  it('starts at most the batch size at once, in arrival order, and the next batch two passes later', async () => {
    const gate = new TurnGate(3);
    const started = enterMany(gate, 8);
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(gate.queued).toBe(5);
    await nextPass();
    expect(started).toEqual([0, 1, 2]); // the pass in which the first batch commits
    await nextPass();
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    await nextPass();
    await nextPass();
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gate.queued).toBe(0);
  });

  it('lets a newcomer in at once when nobody waits and the batch has room, and queues it behind waiters otherwise', async () => {
    const gate = new TurnGate(2);
    const first = enterMany(gate, 1);
    await Promise.resolve();
    expect(first).toEqual([0]);
    const late = enterMany(gate, 3); // one fits in this batch, two wait
    await Promise.resolve();
    expect(late).toEqual([0]);
    await nextPass();
    await nextPass();
    expect(late).toEqual([0, 1, 2]);
  });

  it('puts a newcomer behind the turns already waiting, even when a batch has just opened', async () => {
    const gate = new TurnGate(3);
    const started = enterMany(gate, 8); // 0–2 start, 3–7 wait
    await nextPass();
    await nextPass(); // 3–5 start, 6–7 still wait
    const late: number[] = [];
    void gate.enter().then(() => late.push(started.length));
    await Promise.resolve();
    expect(late).toEqual([]);
    await nextPass();
    await nextPass();
    // The newcomer starts in the same batch as 6 and 7, after them.
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(late).toEqual([8]);
  });

  it('stops scheduling once nobody waits', async () => {
    const gate = new TurnGate(2);
    enterMany(gate, 5);
    for (let i = 0; i < 10; i++) await nextPass();
    expect(gate.queued).toBe(0);
    expect(process.getActiveResourcesInfo()).not.toContain('Immediate');
  });

  it('with a batch size that is not a number starts every turn at once instead of none', async () => {
    const started = enterMany(new TurnGate(Number.NaN), 5);
    await Promise.resolve();
    expect(started).toHaveLength(5);
  });

  it('with a batch size of 0 starts every turn at once', async () => {
    const started = enterMany(new TurnGate(0), 50);
    await Promise.resolve();
    expect(started).toHaveLength(50);
  });
});

describe('answers under a burst of questions', () => {
  let retriever: Retriever;
  let store: SqliteStore;
  beforeAll(async () => {
    retriever = await bundledRetriever();
    store = SqliteStore.open(':memory:');
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  /** Sends `n` questions at once; for each answer, how many questions had been worked on when it arrived. */
  async function burst(turnsPerBatch: number, n: number): Promise<number[]> {
    let retrievals = 0;
    const counting = Object.create(retriever) as Retriever;
    counting.retrieve = (...args: Parameters<Retriever['retrieve']>) => {
      retrievals++;
      return retriever.retrieve(...args);
    };
    const assistant = createAssistant({
      retriever: () => counting,
      store,
      handoffContact: 'Tổng đài 1022',
      cacheSize: 0,
      turnsPerBatch,
    });
    const seen: number[] = [];
    const questions = Array.from(
      { length: n },
      (_, i) => `Thủ tục đăng ký khai sinh cần giấy tờ gì (lần ${i + 1})?`,
    );
    const answers = await Promise.all(
      questions.map((message) =>
        assistant.reply({ message, channel: 'web', audience: 'public' }).then((a) => {
          seen.push(retrievals);
          return a;
        }),
      ),
    );
    expect(answers.every((a) => a.messageId !== undefined)).toBe(true);
    return seen;
  }

  it('sends the first answers, stored, before the last questions of the burst are worked on', async () => {
    const gated = await burst(4, 24);
    expect(gated).toHaveLength(24);
    expect(gated[0]).toBe(4);
    expect(gated[23]).toBe(24);
    // Without the gate every answer of the burst waits for all 24 questions to be worked on.
    const all = await burst(0, 24);
    expect(all[0]).toBe(24);
  });
});
