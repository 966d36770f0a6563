import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_MODULE_FOLDERS, browserModulesRouter } from '../../src/channels/browser-modules.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('browserModulesRouter', () => {
  let base = '';
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    app.use(browserModulesRouter());
    app.use((_req, res) => res.status(404).end());
    const server = await new Promise<import('node:http').Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('serves each module at /assets/<path under src> as JavaScript, byte for byte', async () => {
    const res = await fetch(`${base}/assets/channels/widget/frame/main.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toBe(readFileSync(path.join(ROOT, 'src/channels/widget/frame/main.js'), 'utf8'));
  });

  it('serves nothing outside the listed folders: no TypeScript, no other files, no path tricks', async () => {
    for (const p of [
      '/assets/channels/browser-modules.ts',
      '/assets/channels/app.js',
      '/assets/lib/lru.ts',
      '/assets/lib/browser/../lru.ts',
      '/assets/lib/browser/%2e%2e/lru.ts',
      '/assets/channels/widget/assets/loader.js',
      '/assets/lib/browser/',
    ]) {
      expect((await fetch(`${base}${p}`)).status, p).toBe(404);
    }
  });

  it('type-checks and lints exactly the folders it serves (tsconfig.browser.json, eslint.config.js)', () => {
    const tsconfig = JSON.parse(
      readFileSync(path.join(ROOT, 'tsconfig.browser.json'), 'utf8').replace(/^\s*\/\/.*$/gmu, ''),
    ) as { include: string[] };
    expect(tsconfig.include).toEqual(BROWSER_MODULE_FOLDERS.map((f) => `src/${f}/*.js`));
    const eslint = readFileSync(path.join(ROOT, 'eslint.config.js'), 'utf8');
    for (const f of BROWSER_MODULE_FOLDERS) expect(eslint).toContain(`'src/${f}/**/*.js'`);
  });
});
