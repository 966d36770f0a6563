import { Router, type Request } from 'express';
import type { AssistantStore, Page } from '../answer/store.js';
import { allow } from './auth/http.js';
import { toCsv } from './csv.js';

/** Most rows one export holds (feedback, audit); the gap report is capped by the store at 1,000 groups. */
const MAX_ROWS = 100_000;
const PAGE = 1_000;

const RATING_LABELS: Record<string, string> = { up: 'Hữu ích', down: 'Chưa hữu ích' };
const RESULT_LABELS: Record<string, string> = { ok: 'Thành công', error: 'Lỗi' };

async function all<T>(read: (p: Page) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; offset < MAX_ROWS; offset += PAGE) {
    const rows = await read({ limit: PAGE, offset });
    out.push(...rows);
    if (rows.length < PAGE) break;
  }
  return out;
}

/** `GET /admin/api/export/{gaps,feedback,audit}.csv` for administrators and readers; each export is audited. */
export function exportRouter(deps: {
  store: AssistantStore;
  audit: (req: Request, action: string, target: string, detail: string) => Promise<void>;
}): Router {
  const router = Router();
  const reports: Record<string, () => Promise<{ header: string[]; rows: unknown[][] }>> = {
    gaps: async () => ({
      header: ['Câu hỏi', 'Khóa gom nhóm', 'Số lần', 'Lần hỏi gần nhất', 'Kênh'],
      rows: (await deps.store.gapReport({ limit: 1_000 })).map((g) => [
        g.example,
        g.normalized,
        g.count,
        g.lastAskedAt,
        g.channels.join(' '),
      ]),
    }),
    feedback: async () => ({
      header: ['Thời điểm', 'Đánh giá', 'Câu hỏi', 'Câu trả lời', 'Góp ý', 'Mã hội thoại'],
      rows: (await all((p) => deps.store.listFeedback(p))).map((f) => [
        f.createdAt,
        RATING_LABELS[f.rating] ?? f.rating,
        f.question,
        f.answer,
        f.comment,
        f.conversationId,
      ]),
    }),
    audit: async () => ({
      header: ['Thời điểm', 'Người thực hiện', 'Thao tác', 'Đối tượng', 'Kết quả', 'Chi tiết'],
      rows: (await all((p) => deps.store.listAudit(p))).map((a) => [
        a.createdAt,
        a.actor,
        a.action,
        a.target,
        RESULT_LABELS[a.result] ?? a.result,
        a.detail,
      ]),
    }),
  };
  router.get('/admin/api/export/:name.csv', allow('reports:read'), async (req, res, next) => {
    const name = String(req.params.name);
    const report = Object.hasOwn(reports, name) ? reports[name] : undefined;
    if (!report) return next();
    const { header, rows } = await report();
    const day = new Date().toISOString().slice(0, 10);
    await deps.audit(req, 'export', `${name}.csv`, `${rows.length} rows`);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="tro-ly-cong-vu-${name}-${day}.csv"`);
    res.send(toCsv(header, rows));
  });
  return router;
}
