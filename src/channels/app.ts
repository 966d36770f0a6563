import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.js';
import type { Audience } from '../ingest/types.js';
import type { Retriever } from '../retrieve/retriever.js';

/** What the HTTP app needs; `retriever()` returns null until an index is loaded. */
export interface AppDeps {
  retriever: () => Retriever | null;
}

const MAX_QUERY_CHARS = 1000;

/** Builds the Express app without listening, so tests drive it in-process. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '32kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', (_req, res) => {
    const r = deps.retriever();
    if (!r) {
      res.status(503).json({ status: 'loading', message: 'Đang nạp chỉ mục, vui lòng thử lại sau ít phút.' });
      return;
    }
    const m = r.snapshot.manifest;
    res.json({ status: 'ready', snapshot: m.id, documents: m.counts.documents, chunks: m.counts.chunks });
  });

  app.get('/api/search', async (req, res) => {
    const retriever = deps.retriever();
    if (!retriever) throw new AppError('snapshot_missing', 'the index is not loaded yet');
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q === '') throw new AppError('bad_request', 'query parameter "q" is required');
    if (q.length > MAX_QUERY_CHARS) throw new AppError('bad_request', `"q" is longer than ${MAX_QUERY_CHARS} characters`);
    const k = Math.min(20, Math.max(1, Number(req.query.k ?? 5) || 5));
    // Officials' internal channels get their own endpoint later; this public search sees public documents.
    const audience: Audience = 'public';
    const { results, query } = await retriever.retrieve(q, { k, audience });
    res.json({
      query: { normalized: query.normalized, restored: query.restored, fields: query.fields },
      results: results.map((r) => ({
        id: r.doc.id,
        title: r.doc.title,
        kind: r.doc.kind,
        url: r.doc.url ?? null,
        score: r.score,
        passages: r.chunks.map((c) => ({ citation: c.chunk.citation, text: c.chunk.text, page: c.chunk.page ?? null })),
      })),
    });
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'Không tìm thấy đường dẫn này.' });
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) {
      res.status(err.status).json({ error: err.code, message: err.message });
      return;
    }
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (err as { type?: string }).type;
      const code = type === 'entity.too.large' ? 'payload_too_large' : 'bad_request';
      res.status(status).json({ error: code, message: code === 'payload_too_large' ? 'request body too large' : 'malformed request body' });
      return;
    }
    res.status(500).json({ error: 'internal', message: 'Đã có lỗi xảy ra, vui lòng thử lại.' });
  });
  return app;
}
