import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import { ResultCache } from '../../src/answer/result-cache.js';
import { preferDomain, Retriever, type RetrieveOptions } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { lostPapersSnapshot } from '../helpers/lost-papers.js';

async function retriever(): Promise<Retriever> {
  return new Retriever(await lostPapersSnapshot());
}

describe('procedures of the conversation’s field come first among close candidates', () => {
  it('boosts candidates of the field within the head by a share of the first score, and leaves the rest', () => {
    const fused = [0.5, 1, 0.9, 0.4].map((score, i) => ({
      doc: i,
      score,
      lexicalRank: i + 1,
      vectorRank: null,
    }));
    fused.sort((a, b) => b.score - a.score);
    const out = preferDomain(fused, (doc) => doc === 2 || doc === 3, 3, 0.25);
    expect(out.map((f) => f.doc)).toEqual([2, 1, 0, 3]);
    expect(out[0]!.score).toBeCloseTo(1.15);
    // Beyond the head nothing moves, even in the field.
    expect(out[3]!.score).toBe(0.4);
  });

  it('asked "bị mất, xin cấp lại" in a conversation about land or about a driving licence, ranks that field’s procedure first', async () => {
    const r = await retriever();
    const first = async (options: RetrieveOptions) =>
      (await r.retrieve('bị mất rồi, xin cấp lại thì làm thế nào', { k: 3, ...options })).results[0]?.doc.id;
    // On its words alone the licence comes first (1.06 against 0.95).
    expect(await first({})).toBe('3.000902');
    expect(await first({ domain: 'Đất đai' })).toBe('3.000901');
    expect(await first({ domain: 'Sát hạch, cấp giấy phép lái xe' })).toBe('3.000902');
  });

  it('a procedure named by its code stays first whatever the conversation’s field', async () => {
    const r = await retriever();
    const { results } = await r.retrieve(
      'bị mất giấy chứng nhận, xin cấp lại theo thủ tục 3.000903 được không',
      {
        k: 3,
        domain: 'Đất đai',
      },
    );
    expect(results[0]?.doc.id).toBe('3.000903');
  });

  it('the answer layer’s cache keeps a question asked in one field apart from the same question in another', async () => {
    const r = await retriever();
    const cache = new ResultCache(10);
    const question = 'bị mất rồi, xin cấp lại thì làm thế nào';
    const land = await cache.retrieve(r, question, 3, 'public', 'Đất đai');
    const licence = await cache.retrieve(r, question, 3, 'public', 'Sát hạch, cấp giấy phép lái xe');
    expect(land.results[0]?.doc.id).toBe('3.000901');
    expect(licence.results[0]?.doc.id).toBe('3.000902');
    expect(cache.stats().hits).toBe(0);
    await cache.retrieve(r, question, 3, 'public', 'Đất đai');
    expect(cache.stats().hits).toBe(1);
  });

  it('in a conversation, searches with the field of the procedure in focus; a new conversation without one', async () => {
    const r = await retriever();
    const domains: (string | undefined)[] = [];
    const spy = Object.create(r) as Retriever;
    spy.retrieve = (query, options) => {
      domains.push(options?.domain);
      return r.retrieve(query, options);
    };
    const store = SqliteStore.open(':memory:');
    const assistant = createAssistant({ retriever: () => spy, store, handoffContact: '1022', cacheSize: 0 });
    const a = await assistant.reply({
      message: 'Cấp lại giấy phép lái xe do bị mất cần giấy tờ gì?',
      channel: 'web',
      audience: 'public',
    });
    expect(a.citations[0]?.sourceId).toBe('3.000902');
    await assistant.reply({
      message: 'Còn đăng ký kết hôn thì nộp ở đâu?',
      channel: 'web',
      audience: 'public',
      conversationId: a.conversationId,
    });
    expect(domains).toEqual([undefined, 'Sát hạch, cấp giấy phép lái xe']);
    await store.close();
  });
});
