import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Router } from 'express';

/** URL prefix of the browser modules: `/assets/<path under src/>`. */
export const MODULES_PREFIX = '/assets/';

/** The folders under src/ whose `.js` files are browser ES modules (served, and type-checked by tsconfig.browser.json). */
export const BROWSER_MODULE_FOLDERS = ['lib/browser', 'channels/widget/frame', 'admin/page/modules'] as const;

export interface BrowserModulesOptions {
  /** Folders under `srcDir` to serve (default `BROWSER_MODULE_FOLDERS`). */
  folders?: readonly string[];
  /** The source root (default: the `src/` folder this module lives in). */
  srcDir?: string;
}

/**
 * `GET /assets/<folder>/<file>.js`: the pages' browser ES modules, each at its path under src/, so
 * that a relative import between two modules (`../../../lib/browser/dom.js`) means the same file to
 * the browser, to tsc and to ESLint, with no build step and no import map (an inline one would need
 * a CSP exception). Files are read once at start-up; a module is revalidated on every load (ETag),
 * so a page never mixes modules of two releases. Only `.js` files directly in the listed folders
 * are served.
 */
export function browserModulesRouter(options: BrowserModulesOptions = {}): Router {
  const srcDir = options.srcDir ?? path.resolve(import.meta.dirname, '..');
  const router = Router();
  for (const folder of options.folders ?? BROWSER_MODULE_FOLDERS) {
    const dir = path.join(srcDir, folder);
    for (const name of readdirSync(dir)
      .filter((n) => n.endsWith('.js'))
      .sort()) {
      const body = readFileSync(path.join(dir, name));
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      router.get(`${MODULES_PREFIX}${folder}/${name}`, (req, res) => {
        res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
        res.setHeader('ETag', etag);
        res.setHeader('Cache-Control', 'no-cache');
        if (req.headers['if-none-match'] === etag) {
          res.status(304).end();
          return;
        }
        res.send(body);
      });
    }
  }
  return router;
}
