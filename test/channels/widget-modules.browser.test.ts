/**
 * The chat frame's ES modules in a real browser (Debian's Chromium through playwright-core): the
 * frame loads without a console error or CSP violation, every module it imports (followed through
 * the whole import graph) is served same-origin with a JavaScript content type under a CSP whose
 * script-src is 'self' only, and frame.html preloads each of them (no request waterfall).
 */
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../helpers/app.js';
import { hasChromium, launchBrowser } from '../helpers/browser.js';

// The project compiles without the DOM lib: the few browser globals used in page functions.
declare const document: {
  addEventListener(
    type: 'securitypolicyviolation',
    fn: (e: { blockedURI: string; violatedDirective: string }) => void,
  ): void;
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
};
declare const window: { __csp: string[] };

type App = Awaited<ReturnType<typeof startApp>>;

/** Relative and absolute specifiers of the static imports and exports in a module's source. */
function importsOf(source: string): string[] {
  return [
    ...source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gmu),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gmu),
  ].map((m) => m[1]!);
}

/** A `script-src` directive of a CSP header. */
function scriptSrc(csp: string | null): string | undefined {
  return csp
    ?.split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src '));
}

describe.skipIf(!hasChromium)('the chat frame’s ES modules in Chromium', () => {
  let browser: Browser;
  let app: App;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    app = await startApp(() => null);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it('the frame loads without console errors, every imported module is served as JavaScript, and the CSP allows it', async () => {
    const problems: string[] = [];
    page.on('console', (m) => {
      // Opened as a top-level page (not in the loader's iframe) Chromium also asks for /favicon.ico.
      if (m.location().url.endsWith('/favicon.ico')) return;
      if (m.type() === 'error' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    // Injected by the browser before any page script: reports what the CSP blocked.
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    const scripts = new Map<string, Response>();
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.set(r.url(), r);
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
    });

    const res = await page.goto(`${app.base}/widget/frame`);
    expect(res?.status()).toBe(200);
    // The frame's scripts ran: the greeting and the suggestions are on the page.
    await page
      .locator('#log .msg.greeting')
      .waitFor({ timeout: 15_000 })
      .catch((err: unknown) => {
        throw new Error(`the frame did not render: ${problems.join('; ') || String(err)}`);
      });
    await page.getByRole('group', { name: 'Câu hỏi gợi ý', exact: true }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#input').length === 1);

    const src = scriptSrc(res!.headers()['content-security-policy'] ?? null);
    expect(src).toBe("script-src 'self'");

    // Walk the import graph from the entry module: each module is fetched by the page, same-origin,
    // with 200 and a JavaScript content type.
    const entry = await page.locator('script[type="module"]').getAttribute('src');
    expect(entry).toMatch(/^\/assets\//u);
    const graph = new Set<string>();
    const queue = [new URL(entry!, app.base).href];
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (graph.has(url)) continue;
      graph.add(url);
      expect(new URL(url).origin, url).toBe(app.base);
      const served = scripts.get(url);
      expect(served, `${url} was not loaded by the page`).toBeDefined();
      expect(served!.status(), url).toBe(200);
      expect(served!.headers()['content-type'], url).toMatch(/^text\/javascript\b/u);
      const source = await served!.text();
      expect(source.startsWith('// @ts-check\n'), `${url} starts with // @ts-check`).toBe(true);
      for (const spec of importsOf(source)) {
        expect(spec, `${url} imports ${spec}`).toMatch(/^\.{1,2}\/.*\.js$/u);
        queue.push(new URL(spec, url).href);
      }
    }
    expect(graph.size).toBeGreaterThan(3);
    expect([...graph].some((u) => u.includes('/assets/lib/browser/'))).toBe(true);

    // Every module of the graph is preloaded by frame.html, and nothing else is.
    const preloaded = await page.evaluate(() =>
      Array.from(document.querySelectorAll('link[rel="modulepreload"]'), (l) => l.getAttribute('href') ?? ''),
    );
    const entryUrl = new URL(entry!, app.base).href;
    expect(new Set(preloaded.map((h) => new URL(h, app.base).href))).toEqual(
      new Set([...graph].filter((u) => u !== entryUrl)),
    );

    expect(await page.evaluate(() => window.__csp)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a module is revalidated, not cached blind, so a page never mixes two releases', async () => {
    const url = `${app.base}/assets/lib/browser/dom.js`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });
});
