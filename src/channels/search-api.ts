import { Router } from 'express';
import { AppError } from '../errors.js';
import type { Audience } from '../ingest/types.js';
import type { Retriever } from '../retrieve/retriever.js';

const MAX_QUERY_CHARS = 1000;

/** `GET /api/search?q=…&k=5`: ranked documents with their best passages and citations. */
export function searchRouter(retriever: () => Retriever | null): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const r = retriever();
    if (!r) throw new AppError('snapshot_missing', 'the index is not loaded yet');
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    if (q === '') throw new AppError('bad_request', 'query parameter "q" is required');
    if (q.length > MAX_QUERY_CHARS)
      throw new AppError('bad_request', `"q" is longer than ${MAX_QUERY_CHARS} characters`);
    const k = Math.min(20, Math.max(1, Number(req.query.k ?? 5) || 5));
    // Officials' internal channels get their own endpoint later; this public search sees public documents.
    const audience: Audience = 'public';
    const { results, query } = await r.retrieve(q, { k, audience });
    res.json({
      query: { normalized: query.normalized, restored: query.restored, fields: query.fields },
      results: results.map((x) => ({
        id: x.doc.id,
        title: x.doc.title,
        kind: x.doc.kind,
        url: x.doc.url ?? null,
        score: x.score,
        passages: x.chunks.map((c) => ({
          citation: c.chunk.citation,
          text: c.chunk.text,
          page: c.chunk.page ?? null,
        })),
      })),
    });
  });
  return router;
}
