import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Retriever } from '../../src/retrieve/retriever.js';
import { escapeHtml } from '../../src/channels/source-page.js';
import { bundledRetriever, startApp } from '../helpers/app.js';

let retriever: Retriever;
let app: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  retriever = await bundledRetriever();
  app = await startApp(() => retriever);
});
afterAll(async () => {
  await app.close();
});

describe('source page of a citation', () => {
  it('a citation link opens the procedure with every passage anchored by its id', async () => {
    const answer = (await (
      await fetch(`${app.base}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'lệ phí đăng ký khai sinh' }),
      })
    ).json()) as {
      citations: { sourceId: string; chunkId: string; label: string }[];
    };
    const cited = answer.citations[0]!;
    const res = await fetch(`${app.base}/nguon?id=${encodeURIComponent(cited.sourceId)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/u);
    const html = await res.text();
    expect(html).toContain(`id="${escapeHtml(cited.chunkId)}"`);
    expect(html).toContain('Mã thủ tục');
    expect(html).toContain('<html lang="vi">');
  });

  it('a legal document whose number has slashes opens too', async () => {
    const legal = retriever.snapshot.documents.find((d) => d.kind === 'legal' && d.id.includes('/'));
    expect(legal).toBeDefined();
    const res = await fetch(`${app.base}/nguon?id=${encodeURIComponent(legal!.id)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/Điều \d+/u);
  });

  it('an unknown id is a Vietnamese 404 page, and markup in the id is not reflected', async () => {
    const res = await fetch(`${app.base}/nguon?id=${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('Không tìm thấy');
    expect(html).not.toContain('<script>');
  });

  it('text is escaped for HTML', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;',
    );
  });
});
