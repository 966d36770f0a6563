import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';

/**
 * The widget's files, read once at start-up (they are small) and served with an ETag. The chat
 * frame's script is ES modules under `frame/`, served by `browserModulesRouter` (../browser-modules.ts).
 */
const ASSETS: Record<string, { file: string; type: string; maxAge: number }> = {
  '/widget.js': { file: 'loader.js', type: 'text/javascript; charset=utf-8', maxAge: 300 },
  '/widget/frame': { file: 'frame.html', type: 'text/html; charset=utf-8', maxAge: 0 },
  '/widget/frame.css': { file: 'frame.css', type: 'text/css; charset=utf-8', maxAge: 300 },
  '/': { file: 'demo.html', type: 'text/html; charset=utf-8', maxAge: 0 },
};

/** Endpoints a portal page on another origin may call from the widget. */
const CORS_PATHS = new Set(['/api/chat', '/api/chat/stream', '/api/feedback', '/widget/config.json']);

export interface WidgetOptions {
  /** Origins (scheme://host[:port]) of the portal pages allowed to embed the widget and call the API. */
  allowedOrigins: string[];
  /** Shown by the "Gặp cán bộ" action. */
  handoffContact: string;
  /** Folder of the widget's files (default: `assets/` beside this module). */
  assetsDir?: string;
}

/**
 * CORS for the widget's API calls: only `allowedOrigins` get `Access-Control-Allow-Origin`; a
 * preflight from any other origin is refused with 403, so a browser on that origin cannot post.
 * Requests without an Origin header (curl, same-origin GETs) pass untouched.
 */
export function widgetCors(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/u, '')));
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!CORS_PATHS.has(req.path)) return next();
    const origin = req.headers.origin;
    if (!origin) return next();
    res.vary('Origin');
    const ok = allowed.has(origin);
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(ok ? 204 : 403).end();
      return;
    }
    next();
  };
}

/** `GET /widget.js` (the loader), the chat frame and its files, `/widget/config.json`, and the demo page at `/`. */
export function widgetRouter(options: WidgetOptions): Router {
  const dir = options.assetsDir ?? path.join(import.meta.dirname, 'assets');
  const router = Router();
  for (const [route, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(path.join(dir, asset.file));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    router.get(route, (req, res) => {
      res.setHeader('Content-Type', asset.type);
      res.setHeader('ETag', etag);
      res.setHeader('Cache-Control', asset.maxAge > 0 ? `public, max-age=${asset.maxAge}` : 'no-cache');
      // The loader runs on portal pages of other origins.
      if (route === '/widget.js') res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      if (req.headers['if-none-match'] === etag) {
        res.status(304).end();
        return;
      }
      res.send(body);
    });
  }
  router.get('/widget/config.json', (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ handoffContact: options.handoffContact });
  });
  return router;
}
