import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEmbedder,
  HashedNgramEmbeddings,
  loadEmbedder,
  LsaEmbeddings,
  OnnxEmbeddings,
  OpenAICompatibleEmbeddings,
} from '../../src/index/embeddings/index.js';

const PASSAGES = [
  'Đăng ký khai sinh cho trẻ em: tờ khai đăng ký khai sinh, giấy chứng sinh, nộp tại Ủy ban nhân dân cấp xã.',
  'Đăng ký khai sinh quá hạn cho trẻ em: tờ khai, giấy chứng sinh hoặc văn bản của người làm chứng.',
  'Cấp lại thẻ căn cước khi bị mất: nộp tại cơ quan quản lý căn cước, lệ phí theo quy định.',
  'Cấp đổi thẻ căn cước khi hết hạn hoặc bị hỏng: cơ quan quản lý căn cước cấp đổi thẻ.',
  'Lệ phí trước bạ nhà đất: người nộp thuế kê khai lệ phí trước bạ khi đăng ký quyền sử dụng đất.',
  'Đăng ký quyền sử dụng đất lần đầu, cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình.',
  'Đăng ký kết hôn: hai bên nam nữ nộp tờ khai đăng ký kết hôn và cùng có mặt.',
  'Đăng ký thường trú tại chỗ ở hợp pháp: nộp hồ sơ đến cơ quan đăng ký cư trú.',
];

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('LSA embedder trained on the corpus', () => {
  const lsa = LsaEmbeddings.fit(PASSAGES, 4);

  it('clamps its dimension to what a tiny corpus supports and returns unit vectors', async () => {
    expect(lsa.info.dimension).toBeLessThanOrEqual(4);
    const [v] = await lsa.embedDocuments([PASSAGES[0]!]);
    expect(Math.abs(cosine(v!, v!) - 1)).toBeLessThan(1e-6);
  });

  it('puts passages about the same procedure nearer than unrelated ones', async () => {
    const [a, b, c] = await lsa.embedDocuments([PASSAGES[0]!, PASSAGES[1]!, PASSAGES[4]!]);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(a!, c!));
  });

  it('embeds a question typed without diacritics like the accented one', async () => {
    const plain = await lsa.embedQuery('cap lai the can cuoc bi mat');
    const accented = await lsa.embedQuery('cấp lại thẻ căn cước bị mất');
    expect(cosine(plain, accented)).toBeGreaterThan(0.999);
  });

  it('gives identical vectors after its state is saved and loaded', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tlcv-lsa-'));
    try {
      await lsa.saveState(dir);
      const again = await loadEmbedder({ kind: 'lsa' }, dir, lsa.info);
      expect(await again.embedQuery('lệ phí trước bạ')).toEqual(await lsa.embedQuery('lệ phí trước bạ'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('embedder configuration', () => {
  it('refuses to load an index built with another embedder, saying how to fix it', async () => {
    await expect(
      loadEmbedder({ kind: 'hashed' }, tmpdir(), { id: 'lsa-v1-128', dimension: 128 }),
    ).rejects.toMatchObject({
      code: 'embedder_mismatch',
      message: expect.stringMatching(/lsa-v1-128.*--rebuild/su),
    });
  });

  it('hashed n-grams need no training and match folded text', async () => {
    const e = await createEmbedder({ kind: 'hashed', dimension: 256 }, () => []);
    expect(e.info).toEqual({ id: 'hashed-v1-256', dimension: 256 });
    const h = e as HashedNgramEmbeddings;
    expect(cosine(h.embed('đăng ký kết hôn'), h.embed('dang ky ket hon'))).toBeGreaterThan(0.999);
  });

  it('a missing ONNX model folder is a clear configuration error', () => {
    expect(() => new OnnxEmbeddings('/khong/co/mo-hinh')).toThrow(
      /EMBEDDINGS_ONNX_DIR \/khong\/co\/mo-hinh: no config\.json/u,
    );
  });
});

describe('OpenAI-compatible embeddings client (fake endpoint on loopback)', () => {
  let server: Server;
  let base: string;
  const seen: { auth: string | undefined; inputs: number }[] = [];
  let failNext = 0;
  let status401 = false;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (status401) {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid api key"}');
          return;
        }
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end('overloaded');
          return;
        }
        const { input } = JSON.parse(body) as { input: string[] };
        seen.push({ auth: req.headers.authorization, inputs: input.length });
        const data = input.map((t, index) => ({ index, embedding: [t.length, 1, 0] })).reverse();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('batches 64 texts a request, keeps the order, retries a 500 and succeeds', async () => {
    const client = new OpenAICompatibleEmbeddings({ baseUrl: base, model: 'bge-m3', apiKey: 'sk-secret' });
    failNext = 1;
    const texts = Array.from({ length: 130 }, (_, i) => 'x'.repeat(i + 1));
    const vectors = await client.embedDocuments(texts);
    expect(vectors.map((v) => v[0])).toEqual(texts.map((t) => t.length));
    expect(seen.map((s) => s.inputs)).toEqual([64, 64, 2]);
    expect(seen[0]?.auth).toBe('Bearer sk-secret');
    expect(client.info).toEqual({ id: 'openai:bge-m3', dimension: 3 });
  });

  it('a 401 from the endpoint is a clear error without the API key in it', async () => {
    status401 = true;
    const client = new OpenAICompatibleEmbeddings({ baseUrl: base, model: 'bge-m3', apiKey: 'sk-secret' });
    const err = await client.embedQuery('xin chào').catch((e: unknown) => e as Error & { code: string });
    status401 = false;
    expect(err).toMatchObject({
      code: 'embedder_unavailable',
      message: expect.stringMatching(/HTTP 401.*invalid api key/u),
    });
    expect((err as Error).message).not.toContain('sk-secret');
  });
});
