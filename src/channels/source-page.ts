import { Router } from 'express';
import { documentChunks, pageNote } from '../answer/extractive.js';
import type { DocumentMeta, ValidityStatus } from '../ingest/types.js';
import type { Retriever } from '../retrieve/retriever.js';

/** HTML-escapes text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/gu,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** How a document's validity is shown to people (the admin page, src/admin/page/modules/labels.js, shows the same words). */
export const VALIDITY_LABELS: Record<ValidityStatus, string> = {
  con_hieu_luc: 'Còn hiệu lực',
  het_hieu_luc_mot_phan: 'Hết hiệu lực một phần',
  het_hieu_luc_toan_bo: 'Hết hiệu lực toàn bộ',
  chua_co_hieu_luc: 'Chưa có hiệu lực',
};

/** Link to the page of a cited passage on this server (for documents without a portal link). */
export function sourcePath(docId: string, chunkId?: string): string {
  return `/nguon?id=${encodeURIComponent(docId)}${chunkId ? `#${encodeURIComponent(chunkId)}` : ''}`;
}

/**
 * `GET /nguon?id=<document id>`: a plain page with a public document's passages, each anchored by
 * its chunk id so that a citation link opens at the cited passage. Every citation the assistant
 * gives therefore has a working link, also for documents that have no page on a portal.
 */
export function sourceRouter(retriever: () => Retriever | null): Router {
  const router = Router();
  router.get('/nguon', (req, res) => {
    const r = retriever();
    const id = typeof req.query.id === 'string' ? req.query.id : '';
    const index = r?.snapshot.docIndex.get(id);
    const doc = index === undefined ? undefined : r!.snapshot.documents[index];
    res.setHeader('Cache-Control', 'no-cache');
    if (!r || !doc || doc.audience !== 'public') {
      res
        .status(404)
        .type('html')
        .send(
          page(
            'Không tìm thấy văn bản',
            '<p>Không tìm thấy văn bản hoặc thủ tục này trong kho dữ liệu hiện tại.</p>',
          ),
        );
      return;
    }
    const passages = documentChunks(r.snapshot, doc.id)
      .map((c) => {
        const page = c.page !== undefined ? ` <span class="page">(${pageNote(c)})</span>` : '';
        return `<section id="${escapeHtml(c.id)}"><h2>${escapeHtml(c.citation)}${page}</h2><p>${escapeHtml(c.text).replace(/\n/gu, '<br>')}</p></section>`;
      })
      .join('\n');
    res.type('html').send(page(doc.title, `${facts(doc)}\n${passages}`));
  });
  return router;
}

function facts(doc: DocumentMeta): string {
  const rows: [string, string | undefined][] = [
    [doc.kind === 'procedure' ? 'Mã thủ tục' : 'Số hiệu', doc.kind === 'procedure' ? doc.id : doc.number],
    ['Loại văn bản', doc.docType],
    ['Cơ quan ban hành', doc.issuer],
    ['Ngày ban hành', doc.signedDate],
    ['Ngày có hiệu lực', doc.effectiveDate],
    ['Tình trạng hiệu lực', VALIDITY_LABELS[doc.status]],
  ];
  const items = rows
    .filter(([, v]) => v)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v!)}</dd>`);
  const link =
    doc.url && /^https?:\/\//u.test(doc.url)
      ? `<p><a href="${escapeHtml(doc.url)}" rel="noopener noreferrer">Xem trên Cổng Dịch vụ công</a></p>`
      : '';
  return `<dl>${items.join('')}</dl>${link}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Trợ lý Công vụ</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:48rem;margin:0 auto;padding:1rem;line-height:1.55;color:#1b1b1b}
h1{font-size:1.35rem}h2{font-size:1rem;margin:0 0 .4rem}section{padding:.75rem;border-radius:6px;margin:.5rem 0;border:1px solid #ddd}
section:target{border-color:#0b5cad;background:#eef5fc}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}.page{font-weight:400;color:#555}
</style></head>
<body><header><p>Trợ lý Công vụ · Nguồn trích dẫn</p><h1>${escapeHtml(title)}</h1></header>
<main>${body}</main></body></html>`;
}
