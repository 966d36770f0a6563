import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';

/** The administration page's files: route → file beside this module, and its content type. */
const FILES: Record<string, { file: string; type: string }> = {
  '/admin': { file: 'admin.html', type: 'text/html; charset=utf-8' },
  '/admin/admin.css': { file: 'admin.css', type: 'text/css; charset=utf-8' },
};

/**
 * `GET /admin`: the administration page (HTML and CSS, no build step; its script is the ES modules
 * under `modules/`, served by `browserModulesRouter`, src/channels/browser-modules.ts). The files are read once,
 * here; the page itself holds no data: everything it shows comes from `/admin/api/…` with the
 * administrator's token, so serving it needs no authentication.
 */
export function adminPageRouter(dir: string = import.meta.dirname): Router {
  const router = Router();
  for (const [route, asset] of Object.entries(FILES)) {
    const body = readFileSync(path.join(dir, asset.file));
    router.get(route, (_req, res) => {
      res.setHeader('Content-Type', asset.type);
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('X-Robots-Tag', 'noindex, nofollow');
      res.send(body);
    });
  }
  return router;
}
