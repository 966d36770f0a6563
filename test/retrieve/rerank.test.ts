import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/answer/assistant.js';
import { ResultCache } from '../../src/answer/result-cache.js';
import { loadConfig } from '../../src/config.js';
import {
  blendedOrder,
  EndpointReranker,
  parseRerankAnswer,
  RERANK_COOL_DOWN_MS,
  type RerankerSetting,
} from '../../src/retrieve/rerank.js';
import { DEFAULT_RETRIEVER, Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startApp } from '../helpers/app.js';
import { LOST_PAPERS, lostPapersSnapshot } from '../helpers/lost-papers.js';

/** "Bìa hồng" is what people call the land certificate; no record and no lexicon entry says so. */
const QUESTION = 'bị mất bìa hồng rồi, xin cấp lại thì làm thế nào';
const LAND = LOST_PAPERS.land;
const LICENCE = LOST_PAPERS.licence;

const snapshot = lostPapersSnapshot;

/**
 * A cross-encoder served on loopback, standing in for a model that knows what "bìa hồng" means:
 * it scores a candidate about land 0.9 and any other 0.1, answering in the shape of the request
 * (Cohere/Jina/vLLM or text-embeddings-inference). `mode` makes it fail in the ways real ones do.
 */
let server: Server;
let base: string;
let mode: 'ok' | 'error' | 'slow' | 'short' = 'ok';
const requests: { url: string; auth: string | undefined; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { query: string; documents?: string[]; texts?: string[] };
      requests.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      if (mode === 'error') return void res.writeHead(503).end('model loading');
      if (mode === 'slow') return void setTimeout(() => res.writeHead(200).end('[]'), 1500);
      const texts = body.documents ?? body.texts ?? [];
      const scores = texts.map((t) => (/quyền sử dụng đất/iu.test(t) ? 0.9 : 0.1));
      if (mode === 'short') scores.pop();
      const answer = body.texts
        ? scores.map((score, index) => ({ index, score })).sort((a, b) => b.score - a.score)
        : { results: scores.map((relevance_score, index) => ({ index, relevance_score })).reverse() };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
  mode = 'ok';
  requests.length = 0;
});

const setting = (over: Partial<RerankerSetting> = {}): RerankerSetting => ({
  baseUrl: base,
  api: 'cohere',
  model: 'bge-reranker-v2-m3',
  apiKey: 'k-123',
  timeoutMs: 500,
  depth: 20,
  weight: 1,
  ...over,
});

describe('a cross-encoder endpoint re-orders the first results (RERANK_BASE_URL)', () => {
  it('a citizen who says "bìa hồng" is answered from the land certificate the cross-encoder reads it as, not the licence the words favour', async () => {
    const snap = await snapshot();
    const plain = new Retriever(snap);
    const first = (await plain.retrieve(QUESTION, { k: 3 })).results;
    expect(first[0]?.doc.id).toBe(LICENCE);
    const reranked = new Retriever(snap, DEFAULT_RETRIEVER, new EndpointReranker(setting()));
    const { results, degraded } = await reranked.retrieve(QUESTION, { k: 2 });
    expect(degraded).toBeUndefined();
    expect(results.map((r) => r.doc.id)).toEqual([LAND, LICENCE]);
    // The head keeps its scores in order, so the answer layer's margins read what they were fitted on.
    expect(results.map((r) => r.score)).toEqual(first.slice(0, 2).map((r) => r.score));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url).toBe('/v1/rerank');
    expect(requests[0]!.auth).toBe('Bearer k-123');
    expect(requests[0]!.body).toMatchObject({ model: 'bge-reranker-v2-m3', query: QUESTION });
    const documents = requests[0]!.body.documents as string[];
    expect(documents.length).toBeGreaterThan(2); // a deeper head than the 2 results asked
    expect(documents[0]).toMatch(/^Cấp lại giấy phép lái xe do bị mất\n/u);
  });

  it('speaks text-embeddings-inference too: {query, texts} answered by a list of index and score', async () => {
    const reranked = new Retriever(
      await snapshot(),
      DEFAULT_RETRIEVER,
      new EndpointReranker(setting({ api: 'tei' })),
    );
    const { results } = await reranked.retrieve(QUESTION, { k: 1 });
    expect(results[0]?.doc.id).toBe(LAND);
    expect(requests[0]!.body).toMatchObject({ query: QUESTION, truncate: true });
    expect(requests[0]!.body.texts).toBeInstanceOf(Array);
    expect(requests[0]!.body.documents).toBeUndefined();
  });

  it('with a weight of 0.5 the retriever’s order still counts: a weak preference of the cross-encoder does not overturn a clear lexical lead', () => {
    // Retriever: 1.0 / 0.5 / 0; cross-encoder: 0.4 / 0.6 / 0.
    expect(blendedOrder([1, 0.5, 0], [0.4, 0.6, 0], 0.5)).toEqual([0, 1, 2]);
    expect(blendedOrder([1, 0.5, 0], [0.4, 0.6, 0], 1)).toEqual([1, 0, 2]);
    expect(blendedOrder([1, 0.5, 0], [0.4, 0.6, 0], 0)).toEqual([0, 1, 2]);
    expect(blendedOrder([1, 0.9, 0], [0, 1, 0.5], 0.5)).toEqual([1, 0, 2]);
  });

  it('a procedure named by its code is answered as named, without asking the endpoint', async () => {
    const reranked = new Retriever(await snapshot(), DEFAULT_RETRIEVER, new EndpointReranker(setting()));
    const { results } = await reranked.retrieve('bị mất bìa hồng, thủ tục 3.000902 làm thế nào', { k: 3 });
    expect(results[0]?.doc.id).toBe(LICENCE);
    expect(requests).toHaveLength(0);
  });

  it.each([
    ['answers 503', 'error' as const],
    ['answers after the time allowed', 'slow' as const],
    ['scores fewer candidates than it was sent', 'short' as const],
  ])(
    'when the endpoint %s, the question is answered in the retriever’s order, the reason is told once, and the endpoint is left alone for a cool-down',
    async (_what, how) => {
      mode = how;
      const snap = await snapshot();
      const expected = (await new Retriever(snap).retrieve(QUESTION, { k: 3 })).results.map((r) => r.doc.id);
      let now = 1_000_000;
      const reasons: string[] = [];
      const reranker = new EndpointReranker(
        setting({ timeoutMs: 300 }),
        (r) => reasons.push(r),
        () => now,
      );
      const retriever = new Retriever(snap, DEFAULT_RETRIEVER, reranker);
      const started = performance.now();
      const out = await retriever.retrieve(QUESTION, { k: 3 });
      expect(performance.now() - started).toBeLessThan(1200);
      expect(out.results.map((r) => r.doc.id)).toEqual(expected);
      expect(out.degraded).toBe(true);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(
        how === 'error'
          ? /HTTP 503: model loading/u
          : how === 'slow'
            ? /no answer within 300 ms/u
            : /does not score the \d+ candidates/u,
      );
      // Within the cool-down nothing is sent; after it, the endpoint is asked again.
      now += RERANK_COOL_DOWN_MS - 1;
      await retriever.retrieve(QUESTION, { k: 3 });
      expect(requests).toHaveLength(1);
      mode = 'ok';
      now += 2;
      expect((await retriever.retrieve(QUESTION, { k: 3 })).results[0]?.doc.id).toBe(LAND);
      expect(requests).toHaveLength(2);
      expect(reranker.stats()).toEqual({ requests: 2, failures: 1, skipped: 1 });
    },
  );

  it('a result kept in the retriever’s order because the endpoint failed is not cached: asked again once it is back, the question is re-ranked', async () => {
    mode = 'error';
    let now = 0;
    const retriever = new Retriever(
      await snapshot(),
      DEFAULT_RETRIEVER,
      new EndpointReranker(
        setting(),
        () => {},
        () => now,
      ),
    );
    const cache = new ResultCache(10);
    expect((await cache.retrieve(retriever, QUESTION, 3, 'public')).results[0]?.doc.id).toBe(LICENCE);
    mode = 'ok';
    now += RERANK_COOL_DOWN_MS + 1;
    expect((await cache.retrieve(retriever, QUESTION, 3, 'public')).results[0]?.doc.id).toBe(LAND);
    expect((await cache.retrieve(retriever, QUESTION, 3, 'public')).results[0]?.doc.id).toBe(LAND);
    expect(cache.stats().hits).toBe(1);
  });

  it('the assistant offers first, and answers once picked, the procedure the endpoint puts first', async () => {
    const retriever = new Retriever(await snapshot(), DEFAULT_RETRIEVER, new EndpointReranker(setting()));
    const store = SqliteStore.open(':memory:');
    const assistant = createAssistant({
      retriever: () => retriever,
      store,
      handoffContact: '1022',
      cacheSize: 0,
    });
    const a = await assistant.reply({
      message: 'bị mất bìa hồng rồi, xin cấp lại thì nộp ở đâu',
      channel: 'web',
      audience: 'public',
    });
    // The answer-or-decline model reads the words the question shares with the record, and no
    // record says "bìa hồng": declined, with the endpoint's first as option 1.
    expect(a.grounded).toBe(false);
    expect(a.alternatives[0]?.sourceId).toBe(LAND);
    const picked = await assistant.reply({
      message: '1',
      conversationId: a.conversationId,
      channel: 'web',
      audience: 'public',
    });
    expect(picked.citations[0]?.sourceId).toBe(LAND);
    expect(picked.answer).toContain('Văn phòng đăng ký đất đai');
    await store.close();
  });

  it('/metrics counts what was sent to the endpoint, what failed and what was skipped', async () => {
    const reranker = new EndpointReranker(setting());
    const retriever = new Retriever(await snapshot(), DEFAULT_RETRIEVER, reranker);
    const app = await startApp(() => retriever);
    try {
      const chat = await fetch(`${app.base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'bị mất bìa hồng rồi, xin cấp lại cần giấy tờ gì' }),
      });
      expect(chat.status).toBe(200);
      expect(
        ((await chat.json()) as { alternatives: { sourceId: string }[] }).alternatives[0]?.sourceId,
      ).toBe(LAND);
      const metrics = await (await fetch(`${app.base}/metrics`)).text();
      expect(metrics).toMatch(/^rerank_requests [1-9]/mu);
      expect(metrics).toMatch(/^rerank_failures 0$/mu);
      expect(metrics).toMatch(/^rerank_skipped 0$/mu);
    } finally {
      await app.close();
    }
  });
});

describe('reading a re-ranking answer', () => {
  it('reads Cohere/Jina/vLLM results and text-embeddings-inference lists, in any order', () => {
    expect(
      parseRerankAnswer(
        {
          results: [
            { index: 1, relevance_score: 0.2 },
            { index: 0, relevance_score: 0.7 },
          ],
        },
        2,
      ),
    ).toEqual([0.7, 0.2]);
    expect(
      parseRerankAnswer(
        [
          { index: 1, score: -3 },
          { index: 0, score: 4.5 },
        ],
        2,
      ),
    ).toEqual([4.5, -3]);
  });

  it.each([
    ['not an object', 'oops'],
    ['a missing candidate', { results: [{ index: 0, relevance_score: 1 }] }],
    [
      'a candidate scored twice',
      [
        { index: 0, score: 1 },
        { index: 0, score: 2 },
      ],
    ],
    [
      'an index out of range',
      [
        { index: 0, score: 1 },
        { index: 2, score: 2 },
      ],
    ],
    [
      'a score that is not a number',
      [
        { index: 0, score: '1' },
        { index: 1, score: 2 },
      ],
    ],
  ])('refuses %s', (_what, body) => {
    expect(parseRerankAnswer(body, 2)).toBeNull();
  });
});

describe('RERANK_* configuration', () => {
  it('is off by default and read whole when RERANK_BASE_URL is set', () => {
    expect(loadConfig({}).reranker).toBeUndefined();
    expect(
      loadConfig({
        RERANK_BASE_URL: 'http://gpu.local:8080',
        RERANK_API: 'tei',
        RERANK_TIMEOUT_MS: '800',
        RERANK_CANDIDATES: '30',
        RERANK_WEIGHT: '0.7',
      }).reranker,
    ).toEqual({ baseUrl: 'http://gpu.local:8080', api: 'tei', timeoutMs: 800, depth: 30, weight: 0.7 });
    expect(
      loadConfig({ RERANK_BASE_URL: 'http://gpu.local:8000/v1', RERANK_MODEL: 'm' }).reranker,
    ).toMatchObject({
      api: 'cohere',
      model: 'm',
      timeoutMs: 2000,
      depth: 20,
      weight: 0.5,
    });
  });

  it.each([
    ['RERANK_BASE_URL', 'gpu.local:8000'],
    ['RERANK_WEIGHT', '1.5'],
    ['RERANK_CANDIDATES', '1'],
    ['RERANK_API', 'openai'],
  ])('refuses a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ RERANK_BASE_URL: 'http://gpu.local:8000/v1', [name]: value })).toThrow(name);
  });
});
