/**
 * The embeddable web widget in a real browser (Debian's Chromium through playwright-core), against
 * the real app with the bundled corpus: the demo page at "/", a portal page on another origin, the
 * chat frame, streaming answers, citations, feedback, history across reloads, keyboard use, XSS,
 * a 360 px phone screen, host-page CSS isolation, CORS and frame-ancestors, and the loader's size.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundledRetriever, startApp } from '../helpers/app.js';
import { hasChromium, launchBrowser } from '../helpers/browser.js';

// The project compiles without the DOM lib; these are the few browser globals used inside the
// functions that Playwright runs in the page (module-scoped declarations, not global ones).
interface PageElement {
  id: string;
  tagName: string;
  href: string;
  scrollWidth: number;
  clientWidth: number;
  shadowRoot: { activeElement: PageElement | null } | null;
}
declare const document: {
  activeElement: PageElement | null;
  documentElement: PageElement;
  hasFocus(): boolean;
  getElementById(id: string): PageElement | null;
};
declare const window: { __xss?: unknown };
declare const localStorage: { getItem(key: string): string | null };
declare function getComputedStyle(el: unknown): Record<string, string>;

const BUBBLE = 'Mở trợ lý ảo Trợ lý Công vụ';
const QUESTION = 'le phi dang ky khai sinh bao nhieu';
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');

type App = Awaited<ReturnType<typeof startApp>>;

/** Plain and hostile "portal" pages on their own origin, embedding the widget from the app's origin. */
async function startPortal(appBase: () => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const page = (css: string) => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thử nghiệm</title>
<style>${css}</style></head>
<body><main><h1>Cổng thông tin thử nghiệm</h1><p>Nội dung của cổng.</p><button id="own" type="button">Nút của trang</button></main>
<script src="${appBase()}/widget.js" data-title="Trợ lý Công vụ" ${css ? 'data-color="red; background: url(x)"' : ''} async></script></body></html>`;
  // A portal stylesheet that would wreck any widget living in the page's own DOM.
  const hostile = `
    button, [type=button] { background: red !important; color: yellow !important; width: 10px !important; height: 10px !important;
      border: 5px dashed lime !important; border-radius: 0 !important; display: none !important; position: static !important; }
    #own { display: inline-block !important; }
    body > :not(main) { display: none !important; opacity: 0 !important; visibility: hidden !important; }
    iframe { display: none !important; width: 10px !important; }
    * { font-size: 30px !important; line-height: 3 !important; box-sizing: content-box !important; transition: none !important; }
    svg { display: none !important; }`;
  const server: Server = createServer((req, res) => {
    const body = req.url === '/hostile' ? page(hostile) : req.url === '/plain' ? page('') : null;
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A CORS preflight for POST /api/chat as a browser on `origin` sends it. */
function preflight(
  base: string,
  origin: string,
): Promise<{ status: number; allowOrigin: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/api/chat`,
      {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type',
        },
      },
      (res) => {
        res.resume();
        const acao = res.headers['access-control-allow-origin'];
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, allowOrigin: Array.isArray(acao) ? acao[0] : acao }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const bubble = (page: Page): Locator => page.getByRole('button', { name: BUBBLE });
const chat = (page: Page): FrameLocator => page.frameLocator('iframe[title="Trợ lý Công vụ"]');
/** Answers (final, not the typing indicator or the greeting) in the message list. */
const answers = (frame: FrameLocator): Locator =>
  frame.locator('#log > .msg.bot:not(.greeting):not(.pending)');

/** The chat frame as a Playwright Frame, for evaluating in it. */
async function frameOf(page: Page): Promise<Frame> {
  const handle = await page.locator('iframe[title="Trợ lý Công vụ"]').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('the chat frame is not attached');
  return frame;
}

/** Waits until the question box inside the chat frame has the keyboard focus. */
/** What the widget keeps in its frame's localStorage. */
async function savedConversation(page: Page): Promise<{ conversationId: string; messages: unknown[] }> {
  return (await frameOf(page)).evaluate(
    () =>
      JSON.parse(localStorage.getItem('tlcv-widget:v1') ?? 'null') as {
        conversationId: string;
        messages: unknown[];
      },
  );
}

async function inputFocused(page: Page): Promise<void> {
  // First the frame's own document (rendered by frame.js): a function polled per animation frame in
  // the iframe's initial about:blank document would stop when that document is replaced.
  await chat(page).locator('#log .msg.greeting').waitFor();
  const frame = await frameOf(page);
  await frame.waitForFunction(() => document.activeElement?.id === 'input' && document.hasFocus());
}

/** Opens the widget on `url` and waits until the question box has focus. */
async function openWidget(page: Page, url: string): Promise<FrameLocator> {
  await page.goto(url);
  await bubble(page).click();
  await inputFocused(page);
  return chat(page);
}

/** For a failure message: whether the chat frame is shown, and the focus and question box inside it. */
async function frameState(frame: FrameLocator): Promise<string> {
  const shown = await frame
    .owner()
    .isVisible()
    .catch(() => 'unknown');
  const inside = await frame
    .getByLabel('Nhập câu hỏi')
    .evaluate((el) => {
      const box = el as unknown as { value: string; ownerDocument: typeof document };
      return JSON.stringify({
        value: box.value,
        focus: box.ownerDocument.hasFocus(),
        active: box.ownerDocument.activeElement?.id,
      });
    })
    .catch((e: unknown) => String(e));
  return `frame shown: ${shown}, question box ${inside}`;
}

/** Types a question, sends it with Enter and returns the answer that follows. */
async function ask(frame: FrameLocator, text: string): Promise<Locator> {
  const before = await answers(frame).count();
  const questions = frame.locator('#log > .msg.user');
  const asked = await questions.count();
  const input = frame.getByLabel('Nhập câu hỏi');
  await input.fill(text);
  await input.press('Enter');
  // The question shows at once: Enter sent it.
  await questions
    .nth(asked)
    .waitFor()
    .catch(async (err: unknown) => {
      throw new Error(`"${text}" was not shown as sent; ${await frameState(frame)}`, { cause: err });
    });
  const answer = answers(frame).nth(before);
  // On a loaded machine (CI runs two test files beside this browser) an answer can take long.
  await answer.waitFor({ timeout: 90_000 }).catch(async (err: unknown) => {
    const log = await frame
      .locator('#log')
      .innerText()
      .catch(() => '(unreadable)');
    throw new Error(`no answer to "${text}"; ${await frameState(frame)}; the chat shows:\n${log}`, {
      cause: err,
    });
  });
  return answer;
}

describe.skipIf(!hasChromium)('web widget in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  let app: App;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let stranger: Awaited<ReturnType<typeof startPortal>>;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const retriever = await bundledRetriever();
    portal = await startPortal(() => app.base);
    stranger = await startPortal(() => app.base);
    app = await startApp(() => retriever, {
      frameAncestors: [portal.origin],
      handoffContact: 'Tổng đài 1022',
      ratePerMinute: 600,
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await portal?.close();
    await stranger?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context.close();
  });

  it('a visitor of the demo page asks without diacritics and gets a streamed answer about "khai sinh" with a working source link', async () => {
    const frame = await openWidget(page, `${app.base}/`);
    await expect(bubble(page).getAttribute('aria-expanded')).resolves.toBe('true');
    const answer = await ask(frame, QUESTION);
    expect(await answer.locator('.text').innerText()).toMatch(/khai sinh/iu);
    await expect(answer.locator('.sources').innerText()).resolves.toMatch(/^Nguồn/u);
    const link = answer.locator('.sources a').first();
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    // Follow-up questions come as buttons.
    expect(await answer.locator('.followups button').count()).toBeGreaterThan(0);

    const href = await link.evaluate((a) => (a as PageElement).href);
    const url = new URL(href);
    expect(url.origin).toBe(app.base);
    expect(url.pathname).toBe('/nguon');
    const chunkId = decodeURIComponent(url.hash.slice(1));
    const res = await fetch(href);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`id="${chunkId}"`);
    expect(html).toMatch(/khai sinh/iu);

    // Clicking the link opens the cited passage in a new tab.
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    await expect(tab.locator('section:target').innerText()).resolves.toMatch(/lệ phí/iu);
  });

  it('a visitor who finds an answer unhelpful can say why, and the comment is stored with a 👎', async () => {
    const frame = await openWidget(page, `${app.base}/`);
    const answer = await ask(frame, QUESTION);
    const down = answer.getByRole('button', { name: 'Chưa hữu ích' });
    await down.click();
    expect(await down.getAttribute('aria-pressed')).toBe('true');
    expect(
      await answer.getByRole('button', { name: 'Hữu ích', exact: true }).getAttribute('aria-pressed'),
    ).toBe('false');
    await answer.getByLabel('Góp ý thêm (không bắt buộc)').fill('Cần thêm mức lệ phí khi đăng ký quá hạn');
    await answer.getByRole('button', { name: 'Gửi góp ý' }).click();
    await answer.getByText('Cảm ơn bạn đã góp ý.').waitFor();

    const rows = await app.store.listFeedback();
    const row = rows.find((r) => r.comment === 'Cần thêm mức lệ phí khi đăng ký quá hạn');
    expect(row?.rating).toBe('down');
  });

  it('after a page reload the visitor sees the earlier question and answer, and the next question continues the same conversation', async () => {
    let frame = await openWidget(page, `${app.base}/`);
    const first = await ask(frame, QUESTION);
    const firstText = await first.locator('.text').innerText();
    const saved = await savedConversation(page);
    expect(saved.conversationId).toMatch(/^[\w-]{1,64}$/u);
    expect(saved.messages).toHaveLength(2);

    await page.reload();
    frame = chat(page);
    await bubble(page).click();
    await inputFocused(page);
    await frame.locator('#log .msg.user').getByText(QUESTION).waitFor();
    expect(await answers(frame).first().locator('.text').innerText()).toBe(firstText);

    const [req] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/api/chat/stream')),
      ask(frame, 'Nộp hồ sơ ở đâu?'),
    ]);
    expect((req.postDataJSON() as { conversationId?: string }).conversationId).toBe(saved.conversationId);
    const after = await savedConversation(page);
    expect(after.conversationId).toBe(saved.conversationId);
    expect(after.messages).toHaveLength(4);
  });

  it('a visitor starts from a suggested question, follows up with a button, asks for an official ("Gặp cán bộ"), and can start over', async () => {
    const frame = await openWidget(page, `${app.base}/`);
    const suggestions = frame.getByRole('group', { name: 'Câu hỏi gợi ý', exact: true });
    await suggestions.getByRole('button', { name: 'Lệ phí đăng ký khai sinh bao nhiêu?' }).click();
    const first = answers(frame).first();
    await first.waitFor();
    expect(await first.locator('.text').innerText()).toMatch(/khai sinh/iu);
    expect(await suggestions.count()).toBe(0);

    const followUp = first
      .getByRole('group', { name: 'Câu hỏi gợi ý tiếp theo' })
      .getByRole('button')
      .filter({ hasText: 'Nộp hồ sơ ở đâu?' });
    await followUp.click();
    await answers(frame).nth(1).waitFor();
    expect(await frame.locator('#log .msg.user .bubble').nth(1).innerText()).toBe('Nộp hồ sơ ở đâu?');
    // Follow-up buttons only stay under the latest answer.
    expect(await first.locator('.followups').count()).toBe(0);

    await frame.getByRole('button', { name: 'Gặp cán bộ' }).click();
    await frame.locator('#log .msg.bot.info').getByText('Tổng đài 1022').waitFor();

    await frame.getByRole('button', { name: 'Cuộc trò chuyện mới' }).click();
    await frame.getByRole('group', { name: 'Câu hỏi gợi ý', exact: true }).waitFor();
    expect(await frame.locator('#log .msg').count()).toBe(1);
    expect(await (await frameOf(page)).evaluate(() => localStorage.getItem('tlcv-widget:v1'))).toBeNull();
  });

  it('while an answer is on its way the visitor sees a typing indicator and cannot send twice', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let posts = 0;
    await context.route('**/api/chat/stream', async (route) => {
      posts += 1;
      await held;
      await route.continue();
    });
    const frame = await openWidget(page, `${app.base}/`);
    const input = frame.getByLabel('Nhập câu hỏi');
    await input.fill(QUESTION);
    await input.press('Enter');
    await frame.locator('#log .msg.pending .typing').waitFor();
    expect(await frame.getByRole('button', { name: 'Gửi' }).isDisabled()).toBe(true);
    await input.fill('Nộp hồ sơ ở đâu?');
    await input.press('Enter');
    expect(await frame.locator('#log .msg.user').count()).toBe(1);
    release();
    await answers(frame).first().waitFor();
    expect(await frame.getByRole('button', { name: 'Gửi' }).isEnabled()).toBe(true);
    expect(posts).toBe(1);
    // What was typed meanwhile is kept and can now be sent.
    expect(await input.inputValue()).toBe('Nộp hồ sơ ở đâu?');
  });

  it('when the server cannot be reached or is busy the visitor reads why, in Vietnamese', async () => {
    const busy = 'Bạn gửi quá nhiều tin nhắn, vui lòng thử lại sau 7 giây.';
    let mode: 'down' | 'busy' = 'down';
    await context.route('**/api/chat/stream', (route) =>
      mode === 'down'
        ? route.abort('connectionrefused')
        : route.fulfill({
            status: 429,
            contentType: 'application/json',
            body: JSON.stringify({ error: 'rate_limited', message: busy }),
          }),
    );
    const frame = await openWidget(page, `${app.base}/`);
    const errors = frame.locator('#log .msg.bot.error');
    await ask(frame, QUESTION);
    expect(await errors.last().innerText()).toBe('Không kết nối được máy chủ, vui lòng thử lại.');
    mode = 'busy';
    await ask(frame, QUESTION);
    expect(await errors.last().innerText()).toBe(busy);
  });

  it('a keyboard-only visitor tabs to the bubble, opens it with Enter, types and sends with Enter, and Escape brings focus back to the bubble', async () => {
    await page.goto(`${app.base}/`);
    await bubble(page).waitFor();
    const bubbleFocused = () => page.evaluate(() => document.activeElement?.tagName === 'TLCV-WIDGET');
    let tabs = 0;
    while (!(await bubbleFocused()) && tabs < 50) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    expect(await bubbleFocused()).toBe(true);
    // The focus ring is visible.
    const outline = await bubble(page).evaluate((b) => getComputedStyle(b).outlineStyle);
    expect(outline).not.toBe('none');

    await page.keyboard.press('Enter');
    await inputFocused(page);
    expect(await bubble(page).getAttribute('aria-expanded')).toBe('true');
    const frame = chat(page);
    await page.keyboard.type(QUESTION);
    await page.keyboard.press('Enter');
    await answers(frame).first().waitFor();
    expect(await frame.locator('#log .msg.user .bubble').first().innerText()).toBe(QUESTION);

    await page.keyboard.press('Escape');
    await page.locator('iframe[title="Trợ lý Công vụ"]').waitFor({ state: 'hidden' });
    await page.waitForFunction(
      () =>
        document.activeElement?.tagName === 'TLCV-WIDGET' &&
        document.activeElement.shadowRoot?.activeElement?.tagName === 'BUTTON',
    );
    expect(await bubble(page).getAttribute('aria-expanded')).toBe('false');
  });

  it('markup typed by a visitor is shown as text and never runs, also after a reload', async () => {
    const frame = await openWidget(page, `${app.base}/`);
    await ask(frame, XSS);
    const log = frame.locator('#log');
    expect(await log.locator('.msg.user .bubble').last().innerText()).toBe(XSS);
    expect(await log.locator('img').count()).toBe(0);
    expect(await log.locator('script').count()).toBe(0);
    expect(await (await frameOf(page)).evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();

    await page.reload();
    await bubble(page).click();
    await inputFocused(page);
    await chat(page).locator('#log .msg.user .bubble').getByText(XSS, { exact: true }).waitFor();
    expect(await chat(page).locator('#log img').count()).toBe(0);
    expect(await (await frameOf(page)).evaluate(() => window.__xss)).toBeUndefined();
  });

  it('on a 360 px phone the open widget fills the screen without horizontal scrolling and the question box stays visible', async () => {
    await context.close();
    context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    page = await context.newPage();
    const frame = await openWidget(page, `${app.base}/`);
    await ask(frame, QUESTION);

    // The demo page itself fits the phone too (otherwise the browser zooms the layout out).
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    const box = await page.locator('iframe[title="Trợ lý Công vụ"]').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: 360, height: 740 });
    const overflow = await (
      await frameOf(page)
    ).evaluate(() => {
      const doc = document.documentElement;
      const log = document.getElementById('log')!;
      return { doc: [doc.scrollWidth, doc.clientWidth], log: [log.scrollWidth, log.clientWidth] };
    });
    expect(overflow.doc[0]).toBeLessThanOrEqual(overflow.doc[1]!);
    expect(overflow.log[0]).toBeLessThanOrEqual(overflow.log[1]!);
    const input = await frame.getByLabel('Nhập câu hỏi').boundingBox();
    expect(input).not.toBeNull();
    expect(input!.x).toBeGreaterThanOrEqual(0);
    expect(input!.x + input!.width).toBeLessThanOrEqual(360);
    expect(input!.y + input!.height).toBeLessThanOrEqual(740);
    expect(await frame.getByRole('button', { name: 'Gửi' }).isVisible()).toBe(true);

    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'widget-open.png') });
  });

  it('a portal on an allowed origin embeds the widget, and its aggressive CSS does not change the bubble', async () => {
    const look = async (url: string) => {
      await page.goto(url);
      const b = bubble(page);
      await b.waitFor();
      return {
        box: await b.boundingBox(),
        style: await b.evaluate((el) => {
          const s = getComputedStyle(el);
          return [
            s.display,
            s.visibility,
            s.opacity,
            s.position,
            s.backgroundColor,
            s.color,
            s.borderRadius,
            s.borderStyle,
            s.width,
            s.height,
          ];
        }),
        icon: await b.locator('svg.o').evaluate((el) => getComputedStyle(el).display),
      };
    };
    const plain = await look(`${portal.origin}/plain`);
    const hostile = await look(`${portal.origin}/hostile`);
    // The page's own buttons do get the hostile styles.
    expect(await page.locator('#own').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
      'rgb(255, 0, 0)',
    );
    expect(hostile).toEqual(plain);
    expect(plain.style.slice(0, 5)).toEqual(['flex', 'visible', '1', 'fixed', 'rgb(11, 92, 173)']);
    expect(plain.box).toMatchObject({ width: 56, height: 56 });
    expect(plain.icon).toBe('block');
    // The hostile page's invalid data-color was ignored, not passed on.
    await bubble(page).click();
    expect(await page.locator('iframe[title="Trợ lý Công vụ"]').getAttribute('src')).not.toContain('color');
    // Closed once it has loaded, as a visitor would, and opened again.
    await inputFocused(page);
    await bubble(page).click();
    await chat(page).owner().waitFor({ state: 'hidden' });

    // frame-ancestors lets this origin embed the chat, which works end to end.
    await bubble(page).click();
    await inputFocused(page);
    const frame = chat(page);
    await expect(frame.locator('#title').innerText()).resolves.toBe('Trợ lý Công vụ');
    const answer = await ask(frame, QUESTION);
    expect(await answer.locator('.text').innerText()).toMatch(/khai sinh/iu);
    const frameBox = await page.locator('iframe[title="Trợ lý Công vụ"]').boundingBox();
    expect(frameBox).toMatchObject({ width: 380, height: 600 });
  });

  it('only allowed origins may call the chat API from a browser: a stranger’s preflight gets 403 without Access-Control-Allow-Origin', async () => {
    const allowed = await preflight(app.base, portal.origin);
    expect(allowed.status).toBe(204);
    expect(allowed.allowOrigin).toBe(portal.origin);
    const refused = await preflight(app.base, stranger.origin);
    expect(refused.status).toBe(403);
    expect(refused.allowOrigin).toBeUndefined();

    const post = (p: Page) =>
      p.evaluate(async (api) => {
        try {
          const res = await fetch(`${api}/api/chat`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ message: 'xin chào' }),
          });
          return res.status;
        } catch {
          return 'blocked';
        }
      }, app.base);
    await page.goto(`${portal.origin}/plain`);
    expect(await post(page)).toBe(200);
    await page.goto(`${stranger.origin}/plain`);
    expect(await post(page)).toBe('blocked');
  });

  it('a stranger’s page cannot show the chat frame (frame-ancestors)', async () => {
    await page.goto(`${stranger.origin}/plain`);
    const blocked = page.waitForEvent('console', (m) => m.text().includes('frame-ancestors'));
    await bubble(page).click();
    await blocked;
    const frame = await frameOf(page);
    expect(frame.url()).not.toContain('/widget/frame');
  });

  it('the loader script stays small (under 10 kB gzipped)', async () => {
    const res = await fetch(`${app.base}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/u);
    const raw = Buffer.from(await res.arrayBuffer());
    const gzip = gzipSync(raw).length;
    console.log(`widget.js: ${raw.length} bytes, ${gzip} bytes gzipped`);
    expect(gzip).toBeLessThan(10_000);
  });
});
