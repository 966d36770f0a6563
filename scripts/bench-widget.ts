/**
 * npm run bench:widget [-- --corpus <file or folder>] [--runs=20]
 * Indexes the corpus (LSA) in a temporary DATA_DIR, serves the app on loopback in this process, and
 * drives the web widget on the demo page ("/") in headless Chromium (CHROMIUM_PATH or
 * /usr/bin/chromium), a fresh browser context (empty cache and storage) per run, after one unmeasured
 * warm-up run. Per run it measures:
 *   - interactive: from the start of `page.goto('/')` until the bubble button is visible, stable,
 *     enabled and would receive a click (Playwright's actionability checks);
 *   - open:        from the click on the bubble until the question box in the chat frame has focus
 *     (the frame is created on first open, so this includes loading it);
 *   - answer:      from pressing Enter on a question until the final answer is rendered.
 * The same two moments are also timed by the browser itself (an init script notes when the bubble is
 * first painted after navigation start, and the click → focus interval to the animation frame),
 * without Playwright's polling and round trips.
 * Prints p50 / p95 / max of each and the loader's size (raw and gzip bytes), then one JSON line.
 * Target: interactive bubble within 1 s.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/browser.js';
import { reindex } from '../src/admin/reindex.js';
import { createAssistant } from '../src/answer/assistant.js';
import { createApp } from '../src/channels/app.js';
import { createLogger } from '../src/channels/http/logger.js';
import { createMetrics } from '../src/channels/http/metrics.js';
import { loadConfig } from '../src/config.js';
import { describeError } from '../src/errors.js';
import { SnapshotStore } from '../src/index/snapshot-store.js';
import { Retriever } from '../src/retrieve/retriever.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import { parseArgs } from './lib/args.js';
import { percentile, root } from './lib/server.js';

// Browser globals used inside the functions Playwright runs in the page (the project has no DOM lib).
declare const document: { activeElement: { id: string } | null; hasFocus(): boolean };

const BUBBLE = 'Mở trợ lý ảo Trợ lý Công vụ';
const FRAME = 'iframe[title="Trợ lý Công vụ"]';
const TARGET_INTERACTIVE_MS = 1000;

interface Run {
  interactive: number;
  open: number;
  answer: number;
  /** Measured by the browser itself: navigation start → first frame painted with the bubble in the page. */
  bubblePainted: number;
  /** Measured by the browser itself: the click on the bubble → the question box in the frame focused (to the animation frame). */
  clickToFocus: number;
}

/**
 * Runs in the page before its own scripts: notes when the bubble is first painted, and the interval
 * from the click on the bubble to the first animation frame in which the question box in the
 * (same-origin, on the demo page) chat frame has focus.
 */
const PROBE = `(() => {
  if (window.top !== window) return;
  const seen = () => {
    if (!document.querySelector('tlcv-widget')) return false;
    requestAnimationFrame(() => { window.__tlcvBubblePainted = performance.now(); });
    return true;
  };
  const obs = new MutationObserver(() => { if (seen()) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true });
  document.addEventListener('click', () => {
    if (window.__tlcvClickAt !== undefined) return;
    const clickAt = window.__tlcvClickAt = performance.now();
    const tick = () => {
      const host = document.querySelector('tlcv-widget');
      const frame = host && host.shadowRoot && host.shadowRoot.querySelector('iframe');
      const doc = frame && frame.contentDocument;
      const el = doc && doc.activeElement;
      if (el && el.id === 'input' && doc.hasFocus()) window.__tlcvClickToFocus = performance.now() - clickAt;
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, true);
})();`;

const launch = launchChromium;

async function oneRun(page: Page, base: string, question: string): Promise<Run> {
  const bubble = page.getByRole('button', { name: BUBBLE });
  const t0 = performance.now();
  const navigation = page.goto(`${base}/`);
  // Resolves once the bubble is visible, stable, enabled and not covered: ready to be clicked.
  await bubble.click({ trial: true });
  const interactive = performance.now() - t0;
  await navigation;

  const chat = page.frameLocator(FRAME);
  const t1 = performance.now();
  await bubble.click();
  // The frame's own document first: a function polled per animation frame in the iframe's initial
  // about:blank document would stop when that document is replaced.
  await chat.locator('#log .msg.greeting').waitFor();
  const handle = await page.locator(FRAME).elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the chat frame did not attach');
  await frame.waitForFunction(() => document.activeElement?.id === 'input' && document.hasFocus());
  const open = performance.now() - t1;

  const input = chat.getByLabel('Nhập câu hỏi');
  await input.fill(question);
  const t2 = performance.now();
  await input.press('Enter');
  await chat.locator('#log > .msg.bot:not(.greeting):not(.pending)').first().waitFor();
  const answer = performance.now() - t2;

  const inPage = (expression: string) => page.evaluate(expression) as Promise<number>;
  const bubblePainted = await inPage('window.__tlcvBubblePainted');
  const clickToFocus = await inPage('window.__tlcvClickToFocus');
  return { interactive, open, answer, bubblePainted, clickToFocus };
}

async function main(): Promise<void> {
  const { flags, positional } = parseArgs(process.argv.slice(2), ['corpus', 'runs']);
  const config = loadConfig();
  const corpus = path.resolve(String(flags.get('corpus') ?? config.corpusDir));
  const runsFlag = flags.get('runs');
  const runs = Math.max(1, Number(runsFlag === true ? positional[0] : (runsFlag ?? 20)) || 20);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-bench-widget-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  const store = SqliteStore.open(':memory:');
  try {
    const snapshots = new SnapshotStore(dataDir);
    const report = await reindex(snapshots, { kind: 'lsa' }, { paths: [corpus] });
    if (report.failed.length)
      console.error(
        `warning: ${report.failed.length} file(s) failed: ${report.failed.map((f) => f.path).join(', ')}`,
      );
    const snapshot = await snapshots.loadCurrent({ kind: 'lsa' });
    if (!snapshot) throw new Error('no snapshot was published');
    const retriever = new Retriever(snapshot);
    const metrics = createMetrics();
    const assistant = createAssistant({
      retriever: () => retriever,
      store,
      handoffContact: config.handoffContact,
    });
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    const app = createApp({
      retriever: () => retriever,
      assistant,
      store,
      metrics,
      logger: createLogger({ level: 'warn', destination: quiet }),
      // All runs come from one loopback address; the per-IP limit would otherwise be what is measured.
      ratePerMinute: 100_000,
      handoffContact: config.handoffContact,
    });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const loader = Buffer.from(await (await fetch(`${base}/widget.js`)).arrayBuffer());
    const loaderGzip = gzipSync(loader).length;
    const questions = (await readFile(path.join(root, 'scripts/bench-questions.txt'), 'utf8'))
      .split('\n')
      .filter(Boolean);

    browser = await launch();
    const results: Run[] = [];
    // Run 0 warms up the browser process and the server's code paths; it is not counted.
    for (let i = 0; i <= runs; i++) {
      const context = await browser.newContext();
      await context.addInitScript(PROBE);
      try {
        const run = await oneRun(await context.newPage(), base, questions[i % questions.length]!);
        if (i > 0) results.push(run);
      } finally {
        await context.close();
      }
    }

    const stats = (key: keyof Run) => {
      const sorted = results.map((r) => r[key]).sort((a, b) => a - b);
      return {
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        max: Math.round(sorted[sorted.length - 1]! * 100) / 100,
      };
    };
    const interactive = stats('interactive');
    const open = stats('open');
    const answer = stats('answer');
    const painted = stats('bubblePainted');
    const clickToFocus = stats('clickToFocus');
    const summary = {
      corpus: path.relative(root, corpus) || corpus,
      documents: report.documents,
      runs,
      interactive_p50_ms: interactive.p50,
      interactive_p95_ms: interactive.p95,
      interactive_max_ms: interactive.max,
      open_to_focus_p50_ms: open.p50,
      open_to_focus_p95_ms: open.p95,
      open_to_focus_max_ms: open.max,
      in_page_bubble_painted_p50_ms: painted.p50,
      in_page_bubble_painted_p95_ms: painted.p95,
      in_page_bubble_painted_max_ms: painted.max,
      in_page_click_to_focus_p50_ms: clickToFocus.p50,
      in_page_click_to_focus_p95_ms: clickToFocus.p95,
      in_page_click_to_focus_max_ms: clickToFocus.max,
      answer_p50_ms: answer.p50,
      answer_p95_ms: answer.p95,
      answer_max_ms: answer.max,
      loader_bytes: loader.length,
      loader_gzip_bytes: loaderGzip,
      target_interactive_ms: TARGET_INTERACTIVE_MS,
      target_met: interactive.max <= TARGET_INTERACTIVE_MS,
    };
    const line = (label: string, s: { p50: number; p95: number; max: number }) =>
      console.log(
        `${label.padEnd(36)} p50 ${String(s.p50).padStart(8)} ms · p95 ${String(s.p95).padStart(8)} ms · max ${String(s.max).padStart(8)} ms`,
      );
    console.log(
      `\nweb widget on the demo page, ${runs} runs (fresh browser context each), corpus ${summary.corpus} (${summary.documents} documents)`,
    );
    line('goto → bubble interactive', interactive);
    line('click → question box focused', open);
    line('Enter → answer rendered', answer);
    line('in page: navigation → bubble painted', painted);
    line('in page: click → question box focused', clickToFocus);
    console.log(`loader /widget.js: ${loader.length} bytes, ${loaderGzip} bytes gzipped`);
    console.log(
      `target ≤ ${TARGET_INTERACTIVE_MS} ms to an interactive bubble: ${summary.target_met ? 'met' : 'NOT met'} (max ${interactive.max} ms)`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${describeError(err)}`);
  process.exit(1);
});
