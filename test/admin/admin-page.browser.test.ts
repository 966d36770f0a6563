/**
 * The administration page (/admin) in a real browser (Debian's Chromium through playwright-core),
 * against the real app with the admin API, the bundled corpus and a live re-index: signing in,
 * the document table and its filters, uploads with an immediate re-index, editing, markup in
 * titles, the gap report, feedback, a re-index conflict, snapshots and rollback, signing out.
 * The tests run in order on one page, as an administrator would work.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdminDeps } from '../../src/admin/api.js';
import { AccountAdmin } from '../../src/admin/auth/accounts.js';
import { AdminSessions } from '../../src/admin/auth/sessions.js';
import { LiveIndex, ReindexJobs } from '../../src/admin/jobs.js';
import { DocumentLibrary } from '../../src/admin/library.js';
import { reindex } from '../../src/admin/reindex.js';
import { createLogger } from '../../src/channels/http/logger.js';
import { AppError } from '../../src/errors.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startApp } from '../helpers/app.js';
import { hasChromium, launchBrowser } from '../helpers/browser.js';

// The project compiles without the DOM lib: the few browser globals used in page functions.
declare const document: {
  querySelectorAll(selector: string): { length: number };
  body: { dataset: Record<string, string | undefined> };
};
declare const sessionStorage: { getItem(key: string): string | null };
declare const window: { __phases?: string[] };

const TOKEN = 'test-admin-page-token-0123456789abcdef';
const READER_PASSWORD = 'mật khẩu người xem 2025';
const EDITOR_PASSWORD = 'mật khẩu biên tập 2025';
const CORPUS = path.resolve(import.meta.dirname, '../../corpus');
const OUTPUT = path.resolve(import.meta.dirname, '../../test-output');

/** A decision written for these tests only (the number is from the future on purpose). */
const DECISION = `ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 02/2099/QĐ-UBND
ngày 05 tháng 01 năm 2099

QUYẾT ĐỊNH
Ban hành quy định về tiếp nhận hồ sơ qua ki-ốt tự phục vụ (tài liệu kiểm thử trang quản trị)

Điều 1. Ki-ốt tự phục vụ
Bộ phận Một cửa đặt ki-ốt tự phục vụ để người dân tự nộp hồ sơ ngoài giờ hành chính.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.
`;
const DECISION_NUMBER = '02/2099/QĐ-UBND';

/** A decision whose title carries markup: it must show as text. */
const MARKUP = '<img src=x onerror=document.body.dataset.xss=1>';
const HOSTILE = `ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 03/2099/QĐ-UBND

QUYẾT ĐỊNH
Về thử nghiệm hiển thị ${MARKUP} trên trang quản trị (tài liệu kiểm thử)

Điều 1. Phạm vi
Quyết định này chỉ dùng để kiểm thử trang quản trị.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.
`;
const HOSTILE_NUMBER = '03/2099/QĐ-UBND';
// ("thủ tục cấp phép bay drone trên sao Hỏa" is answered from the building-permit procedure, so not a gap.)
const GAP_QUESTION = 'thủ tục nuôi khủng long trên sao Hỏa';
const PHASE_LABELS = [
  'Chuẩn bị',
  'Đọc tệp',
  'Chỉ mục từ',
  'Mô hình dấu',
  'Nhúng vector',
  'Xuất bản',
  'Nạp bản mới',
];

interface DocJson {
  id: string;
  number?: string;
  title: string;
  status: string;
  pendingEdit: Record<string, unknown> | null;
}

describe.skipIf(!hasChromium)('administration page (/admin) in Chromium', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let jobs: ReindexJobs;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  const auth = { Authorization: `Bearer ${TOKEN}` };
  const getJson = async <T>(url: string): Promise<T> =>
    (await (await fetch(`${app.base}${url}`, { headers: auth })).json()) as T;
  const documents = () => getJson<{ total: number; documents: DocJson[] }>('/admin/api/documents');
  const serving = async () => (await getJson<{ serving: string }>('/admin/api/snapshots')).serving;

  const tab = (name: string) => page.getByRole('tab', { name, exact: true });
  const notice = () => page.locator('#notice');
  const docRows = () => page.locator('#doc-table tbody tr');
  const docRow = (text: string) => page.locator('#doc-table tbody tr', { hasText: text });
  /** Waits until a table has finished loading (the page marks it aria-busy while it fetches). */
  const settled = (table: string) => page.locator(`${table}:not([aria-busy])`).waitFor();

  async function openDocuments(): Promise<void> {
    await tab('Văn bản').click();
    await settled('#doc-table');
  }

  /** Uploads one Markdown file through the "Tải lên" form with "Lập chỉ mục lại ngay" and waits for the job. */
  async function uploadAndReindex(name: string, text: string): Promise<Locator> {
    await tab('Tải lên').click();
    const panel = page.locator('#panel-upload');
    await panel
      .getByLabel(/^Tệp/u)
      .setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from(text, 'utf8') });
    await panel.getByLabel('Đối tượng').selectOption('public');
    await panel.getByLabel('Lập chỉ mục lại ngay').check();
    await panel.getByRole('button', { name: 'Tải lên', exact: true }).click();
    const result = page.locator('#upload-results > li', { hasText: name });
    await result.waitFor();
    const job = page.locator('#upload-job');
    await job.locator('progress').waitFor();
    await page.locator('#upload-job:not([data-state="running"])').waitFor({ timeout: 90_000 });
    expect(await job.getAttribute('data-state'), (await job.textContent()) ?? '').toBe('succeeded');
    return result;
  }

  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-admin-page-'));
    const snapshots = new SnapshotStore(dataDir, 10);
    await reindex(snapshots, { kind: 'lsa' }, { paths: [CORPUS] });
    const live = new LiveIndex();
    live.swap(new Retriever((await snapshots.loadCurrent({ kind: 'lsa' }))!));
    const library = new DocumentLibrary(dataDir);
    jobs = new ReindexJobs({ store: snapshots, library, live, setting: { kind: 'lsa' }, corpusDir: CORPUS });
    const officers = SqliteStore.open(':memory:');
    await new AccountAdmin(officers.accounts).add('binh.le', 'reader', READER_PASSWORD);
    await new AccountAdmin(officers.accounts).add('an.nguyen', 'editor', EDITOR_PASSWORD);
    const admin: AdminDeps = {
      token: TOKEN,
      sessions: new AdminSessions(officers.accounts, { idleMinutes: 30, maxHours: 12 }),
      library,
      jobs,
      live,
      snapshots,
      store: SqliteStore.open(':memory:'),
      logger: createLogger({ level: 'silent' }),
      maxUploadBytes: 300_000,
    };
    app = await startApp(live.current, { admin, ratePerMinute: 1_000_000 });
    admin.store = app.store;

    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/iu.test(msg.text()))
        cspViolations.push(msg.text());
    });
    // Records every phase the job views show, so the test can tell progress was live.
    await page.addInitScript(() => {
      const w = window as unknown as {
        __phases: string[];
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void };
      };
      const doc = (
        globalThis as unknown as {
          document: {
            addEventListener(t: string, f: () => void): void;
            querySelectorAll(s: string): { textContent: string }[];
            body: unknown;
          };
        }
      ).document;
      w.__phases = [];
      doc.addEventListener('DOMContentLoaded', () => {
        new w.MutationObserver(() => {
          for (const p of doc.querySelectorAll('.job .phase'))
            if (w.__phases.at(-1) !== p.textContent) w.__phases.push(p.textContent);
        }).observe(doc.body, { childList: true, subtree: true, characterData: true });
      });
    });
  });

  afterAll(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await browser?.close();
    await app?.close();
  });

  it('a wrong token is refused with "Mã quản trị không đúng." and nothing is shown', async () => {
    const res = await page.goto(`${app.base}/admin`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByText('Dùng mã quản trị (ADMIN_TOKEN)').click();
    await page.getByLabel('Mã quản trị').fill('not-the-token');
    await page.getByRole('button', { name: 'Vào bằng mã' }).click();
    await page.locator('#login-error', { hasText: 'Mã quản trị không đúng.' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('tlcv-admin-token'))).toBeNull();
  });

  it('after signing in, the document table lists the bundled documents and filters by status', async () => {
    await page.getByLabel('Mã quản trị').fill(TOKEN);
    await page.getByRole('button', { name: 'Vào bằng mã' }).click();
    await tab('Văn bản').waitFor();
    await settled('#doc-table');
    expect(await page.getByRole('button', { name: 'Đăng xuất' }).isVisible()).toBe(true);
    // The token is kept for this tab only.
    expect(await page.evaluate(() => sessionStorage.getItem('tlcv-admin-token'))).toBe(TOKEN);

    const all = await documents();
    expect(all.total).toBeGreaterThan(3);
    expect(await docRows().count()).toBe(all.total);
    for (const d of all.documents.slice(0, 5)) expect(await docRow(d.title).count()).toBeGreaterThan(0);
    expect((await page.locator('#doc-table thead th').allTextContents()).map((t) => t.trim())).toEqual([
      'Tên văn bản',
      'Số hiệu / mã',
      'Loại',
      'Hiệu lực',
      'Đối tượng',
      'Số đoạn',
      'Nguồn',
      'Thao tác',
    ]);

    const filters = page.locator('#doc-filters');
    await filters.getByLabel('Hiệu lực').selectOption('het_hieu_luc_toan_bo');
    await settled('#doc-table');
    const expired = all.documents.filter((d) => d.status === 'het_hieu_luc_toan_bo').length;
    if (expired === 0)
      await page.locator('#doc-table td.empty', { hasText: 'Không có văn bản nào phù hợp.' }).waitFor();
    else expect(await docRows().count()).toBe(expired);

    await filters.getByLabel('Hiệu lực').selectOption('con_hieu_luc');
    await settled('#doc-table');
    const inForce = all.documents.filter((d) => d.status === 'con_hieu_luc').length;
    expect(inForce).toBeGreaterThan(0);
    expect(await docRows().count()).toBe(inForce);
    expect(new Set(await page.locator('#doc-table tbody td:nth-child(4) .badge').allTextContents())).toEqual(
      new Set(['Còn hiệu lực']),
    );

    // The kind filter, and the audience column in Vietnamese.
    await filters.getByLabel('Hiệu lực').selectOption('');
    await filters.getByLabel('Loại').selectOption('legal');
    await settled('#doc-table');
    const legal = (await getJson<{ total: number }>('/admin/api/documents?kind=legal')).total;
    expect(await docRows().count()).toBe(legal);
    expect(new Set(await page.locator('#doc-table tbody td:nth-child(5)').allTextContents())).toEqual(
      new Set(['Công khai']),
    );
    await filters.getByLabel('Loại').selectOption('');
    await settled('#doc-table');
    expect(await docRows().count()).toBe(all.total);
  });

  it('an upload with "Lập chỉ mục lại ngay" shows the upload and re-index progress, then the decision is in the table', async () => {
    const result = await uploadAndReindex('qd-02-2099-ki-ot.md', DECISION);
    expect(await result.textContent()).toContain('Đã lưu');
    expect(
      await page.locator('#upload-progress').evaluate((el) => (el as unknown as { value: number }).value),
    ).toBe(100);
    const job = page.locator('#upload-job');
    expect(await job.textContent()).toContain('Hoàn tất');
    expect(await job.locator('.counts').textContent()).toContain('Thêm mới: 1');
    // The progress was shown live, with the phase in Vietnamese.
    const phases = await page.evaluate(() => window.__phases ?? []);
    expect(
      phases.some((p) => p.startsWith('Đang chạy: ') && PHASE_LABELS.some((l) => p.includes(l))),
      phases.join(' | '),
    ).toBe(true);
    await notice().filter({ hasText: 'Lập chỉ mục xong' }).waitFor();

    await mkdir(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'admin-upload.png') });

    await openDocuments();
    const row = docRow(DECISION_NUMBER);
    await row.waitFor();
    expect(await row.textContent()).toContain('Tải lên');
    expect(await row.locator('td:nth-child(4)').textContent()).toContain('Còn hiệu lực');
    await page.screenshot({ path: path.join(OUTPUT, 'admin.png') });
  });

  it('marking the decision "Hết hiệu lực toàn bộ" saves the edit, says it applies after re-indexing, and a re-index applies it', async () => {
    const row = docRow(DECISION_NUMBER);
    await row.getByRole('button', { name: /^Sửa/u }).click();
    const dialog = page.getByRole('dialog', { name: 'Sửa thông tin văn bản' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Hiệu lực', { exact: true }).inputValue()).toBe('con_hieu_luc');
    await dialog.getByLabel('Hiệu lực', { exact: true }).selectOption({ label: 'Hết hiệu lực toàn bộ' });
    await dialog.getByLabel('Ngày hết hiệu lực').fill('2099-06-30');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await notice().filter({ hasText: 'Thay đổi có hiệu lực sau khi lập chỉ mục lại.' }).waitFor();
    expect(await dialog.isHidden()).toBe(true);
    const pendingBanner = page.locator('#pending');
    await pendingBanner.waitFor();
    await settled('#doc-table');
    expect(await docRow(DECISION_NUMBER).textContent()).toContain('Chờ lập chỉ mục');
    // Recorded through the API, not applied yet.
    const doc = (await documents()).documents.find((d) => d.number === DECISION_NUMBER)!;
    expect(doc.status).toBe('con_hieu_luc');
    expect(doc.pendingEdit).toMatchObject({ status: 'het_hieu_luc_toan_bo', expiryDate: '2099-06-30' });

    // "Lập chỉ mục lại ngay" from the banner runs the job in the "Lập chỉ mục" section.
    await pendingBanner.getByRole('button', { name: 'Lập chỉ mục lại ngay' }).click();
    await page.locator('#panel-reindex').waitFor();
    await page.locator('#reindex-job progress').waitFor();
    await page.locator('#reindex-job:not([data-state="running"])').waitFor({ timeout: 90_000 });
    expect(await page.locator('#reindex-job').getAttribute('data-state')).toBe('succeeded');
    expect(await page.locator('#reindex-job .counts').textContent()).toMatch(
      /Thêm mới: \d+.*Cập nhật: \d+.*Không đổi: \d+.*Lỗi: 0/u,
    );
    expect(await pendingBanner.isHidden()).toBe(true);
    await openDocuments();
    const after = docRow(DECISION_NUMBER);
    expect(await after.locator('td:nth-child(4) .badge').textContent()).toBe('Hết hiệu lực toàn bộ');
    expect(await after.textContent()).toContain('Hết hiệu lực từ 30/06/2099');
    expect(await after.textContent()).not.toContain('Chờ lập chỉ mục');
  });

  it('a document title containing <img onerror> is shown as text; no element is created from it', async () => {
    const result = await uploadAndReindex('qd-03-2099-markup.md', HOSTILE);
    expect(await result.locator('.doc-title').textContent()).toContain(MARKUP);
    await openDocuments();
    const row = docRow(HOSTILE_NUMBER);
    await row.waitFor();
    const title = (await documents()).documents.find((d) => d.number === HOSTILE_NUMBER)!.title;
    expect(title).toContain(MARKUP);
    expect(await row.locator('.doc-title').textContent()).toBe(title);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => document.body.dataset.xss)).toBeUndefined();
  });

  it('the gap report lists a question the assistant declined', async () => {
    const res = await fetch(`${app.base}/api/chat`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: GAP_QUESTION }),
    });
    expect(((await res.json()) as { outcome: string }).outcome).toBe('declined');
    await tab('Câu hỏi chưa trả lời').click();
    await settled('#gap-table');
    const row = page.locator('#gap-table tbody tr', { hasText: GAP_QUESTION });
    await row.waitFor();
    expect(await row.locator('td:nth-child(2)').textContent()).toBe('1');
    expect(await row.locator('td:nth-child(4)').textContent()).toBe('API');
  });

  it('the feedback table shows the rating and the comment, and filters by rating', async () => {
    const chat = (await (
      await fetch(`${app.base}/api/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ message: 'Lệ phí đăng ký khai sinh bao nhiêu?' }),
      })
    ).json()) as { conversationId: string; messageId: string };
    const comment = 'Chưa nói rõ lệ phí khi đăng ký quá hạn <b>đậm</b>';
    const fb = await fetch(`${app.base}/api/feedback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        conversationId: chat.conversationId,
        messageId: chat.messageId,
        rating: 'down',
        comment,
      }),
    });
    expect(fb.status).toBe(201);
    await tab('Góp ý').click();
    await settled('#feedback-table');
    await page.locator('#feedback-rating').selectOption('down');
    await settled('#feedback-table');
    const row = page.locator('#feedback-table tbody tr', { hasText: 'Lệ phí đăng ký khai sinh' });
    await row.waitFor();
    expect(await row.locator('td:nth-child(2)').textContent()).toBe('Chưa hữu ích');
    expect(await row.locator('td:nth-child(5)').textContent()).toBe(comment);
    await page.locator('#feedback-rating').selectOption('up');
    await settled('#feedback-table');
    await page.locator('#feedback-table td.empty', { hasText: 'Chưa có góp ý nào.' }).waitFor();
  });

  it('a second re-index while one runs shows "Đang có một lần lập chỉ mục khác chạy"', async () => {
    // Deterministic conflict: the next start is refused as if the last job were still running.
    const last = page.locator('#reindex-job');
    const runningId = (await last.getAttribute('data-job'))!;
    const spy = vi.spyOn(jobs, 'start').mockImplementationOnce(() => {
      throw new AppError('conflict', `a re-index is already running (job ${runningId})`, {
        source: runningId,
      });
    });
    try {
      await tab('Lập chỉ mục').click();
      await page.getByRole('button', { name: 'Lập chỉ mục lại', exact: true }).click();
      await notice().filter({ hasText: 'Đang có một lần lập chỉ mục khác chạy' }).waitFor();
      expect(spy).toHaveBeenCalledTimes(1);
      // It shows that job's state, and the buttons are usable again once it has ended.
      await page.locator(`#reindex-job[data-job="${runningId}"]`).waitFor();
      expect(await page.getByRole('button', { name: 'Lập chỉ mục lại', exact: true }).isEnabled()).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('the snapshot list shows every snapshot, which one serves, and "Khôi phục" rolls back', async () => {
    await tab('Bản chỉ mục').click();
    await settled('#snapshot-table');
    const list = (
      await getJson<{ snapshots: { id: string; createdAt: string }[]; serving: string }>(
        '/admin/api/snapshots',
      )
    ).snapshots;
    expect(list.length).toBeGreaterThanOrEqual(2);
    const rows = page.locator('#snapshot-table tbody tr');
    expect(await rows.count()).toBe(list.length);
    const before = await serving();
    const servingRow = page.locator('#snapshot-table tbody tr[data-serving="true"]');
    expect(await servingRow.getAttribute('data-snapshot')).toBe(before);
    expect(await servingRow.textContent()).toContain('Đang phục vụ');
    expect(await servingRow.getByRole('button', { name: /Khôi phục/u }).count()).toBe(0);

    // Roll back to the first snapshot (the bundled corpus only).
    const oldest = [...list].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0]!.id;
    expect(oldest).not.toBe(before);
    page.once('dialog', (d) => void d.accept());
    await page
      .locator(`#snapshot-table tbody tr[data-snapshot="${oldest}"]`)
      .getByRole('button', { name: 'Khôi phục' })
      .click();
    await page.locator(`#snapshot-table tbody tr[data-serving="true"][data-snapshot="${oldest}"]`).waitFor();
    await notice().filter({ hasText: oldest }).waitFor();
    expect(await serving()).toBe(oldest);
    const ready = (await (await fetch(`${app.base}/readyz`)).json()) as { snapshot: string };
    expect(ready.snapshot).toBe(oldest);

    // The uploaded decisions are not in the snapshot now serving.
    await openDocuments();
    expect(await docRows().count()).toBe((await documents()).total);
    expect(await docRow(DECISION_NUMBER).count()).toBe(0);
  });

  it('"Xóa" asks first; cancelling keeps the document, confirming records the deletion for the next re-index', async () => {
    const first = (await documents()).documents[0]!;
    const row = page.locator(`#doc-table tbody tr[data-id="${first.id}"]`);
    page.once('dialog', (d) => void d.dismiss());
    await row.getByRole('button', { name: /^Xóa/u }).click();
    expect((await documents()).documents.find((d) => d.id === first.id)?.pendingEdit ?? null).toBeNull();

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: /^Xóa/u }).click();
    await notice().filter({ hasText: 'Thay đổi có hiệu lực sau khi lập chỉ mục lại.' }).waitFor();
    await settled('#doc-table');
    expect(await page.locator(`#doc-table tbody tr[data-id="${first.id}"]`).textContent()).toContain(
      'Chờ xóa',
    );
    expect((await documents()).documents.find((d) => d.id === first.id)?.pendingEdit).toMatchObject({
      deleted: true,
    });
  });

  it('the tabs work from the keyboard', async () => {
    await tab('Văn bản').focus();
    await page.keyboard.press('ArrowRight');
    expect(await tab('Tải lên').getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#panel-upload').isVisible()).toBe(true);
    await page.keyboard.press('End');
    expect(await tab('Nhật ký').getAttribute('aria-selected')).toBe('true');
    await settled('#audit-table');
    await page.locator('#audit-table tbody tr', { hasText: 'Khôi phục bản chỉ mục' }).first().waitFor();
    await page.keyboard.press('Home');
    expect(await tab('Văn bản').getAttribute('aria-selected')).toBe('true');
  });

  it('"Đăng xuất" forgets the token and clears the data from the page', async () => {
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByLabel('Tên đăng nhập').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('tlcv-admin-token'))).toBeNull();
    expect(await page.locator('#app').isHidden()).toBe(true);
    expect(await docRows().count()).toBe(0);
    // A reload does not sign back in.
    await page.reload();
    await page.getByLabel('Tên đăng nhập').waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
  });

  /** Signs in through the account form and waits for the page. */
  async function signIn(username: string, password: string): Promise<void> {
    await page.getByLabel('Tên đăng nhập').fill(username);
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.locator('#whoami:not([hidden])').waitFor();
    await settled('#doc-table');
  }

  it('an officer signs in with an account: a wrong password is refused, a reader sees reports but no change actions, and exports CSV', async () => {
    // Back from a failed single sign-on (none is configured here, so its link is not shown).
    await page.goto(`${app.base}/admin?sso=failed`);
    await page
      .locator('#account-error', { hasText: 'Đăng nhập một lần (SSO) không thành công, vui lòng thử lại.' })
      .waitFor();
    expect(page.url()).toBe(`${app.base}/admin`);
    expect(await page.locator('#sso-box').isHidden()).toBe(true);
    await page.getByLabel('Tên đăng nhập').fill('binh.le');
    await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.locator('#account-error', { hasText: 'Tên đăng nhập hoặc mật khẩu không đúng.' }).waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);

    await signIn('binh.le', READER_PASSWORD);
    expect(await page.locator('#whoami').textContent()).toBe('binh.le · Người xem');
    // The session cookie is HttpOnly: the page's script cannot read it, and nothing is kept in storage.
    expect(await page.evaluate(() => (document as unknown as { cookie: string }).cookie)).not.toContain(
      'tlcv_admin',
    );
    expect(await page.evaluate(() => sessionStorage.getItem('tlcv-admin-token'))).toBeNull();
    expect(await tab('Tải lên').isHidden()).toBe(true);
    expect(await tab('Lập chỉ mục').isHidden()).toBe(true);
    expect(await docRows().count()).toBeGreaterThan(3);
    expect(await page.locator('#doc-table button[data-action]').count()).toBe(0);
    await tab('Bản chỉ mục').click();
    await settled('#snapshot-table');
    expect(await page.locator('#snapshot-table tbody tr').count()).toBeGreaterThan(1);
    expect(await page.getByRole('button', { name: /^Khôi phục/u }).count()).toBe(0);

    await tab('Nhật ký').click();
    await settled('#audit-table');
    await page
      .locator('#audit-table tbody tr', { hasText: 'binh.le' })
      .filter({ hasText: 'Đăng nhập' })
      .first()
      .waitFor();
    const download = page.waitForEvent('download');
    await page.locator('#panel-audit').getByRole('button', { name: 'Tải tệp CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^tro-ly-cong-vu-audit-\d{4}-\d{2}-\d{2}\.csv$/u);
    const csv = await readFile((await file.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('binh.le,login');

    // A reload keeps the session; signing out ends it on the server.
    await page.reload();
    await page.locator('#whoami', { hasText: 'binh.le' }).waitFor();
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByLabel('Tên đăng nhập').waitFor();
    await page.reload();
    await page.getByLabel('Tên đăng nhập').waitFor();
    expect(await page.locator('#app').isHidden()).toBe(true);
  });

  it('an editor may upload, edit and re-index but sees neither reports nor rollback', async () => {
    await signIn('an.nguyen', EDITOR_PASSWORD);
    expect(await page.locator('#whoami').textContent()).toBe('an.nguyen · Biên tập viên');
    expect(await tab('Tải lên').isVisible()).toBe(true);
    expect(await tab('Lập chỉ mục').isVisible()).toBe(true);
    for (const name of ['Câu hỏi chưa trả lời', 'Góp ý', 'Nhật ký'])
      expect(await tab(name).isHidden()).toBe(true);
    expect(await page.locator('#doc-table button[data-action="edit"]').count()).toBe(await docRows().count());
    // Keyboard navigation skips the hidden tabs.
    await tab('Văn bản').focus();
    await page.keyboard.press('End');
    expect(await tab('Bản chỉ mục').getAttribute('aria-selected')).toBe('true');
    await settled('#snapshot-table');
    expect(await page.getByRole('button', { name: /^Khôi phục/u }).count()).toBe(0);
    // A change made from the page carries the session and the anti-CSRF header.
    await tab('Lập chỉ mục').click();
    await page.getByRole('button', { name: 'Lập chỉ mục lại', exact: true }).click();
    await page.locator('#reindex-job:not([data-state="running"])').waitFor({ timeout: 90_000 });
    expect(await page.locator('#reindex-job').getAttribute('data-state')).toBe('succeeded');
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.getByLabel('Tên đăng nhập').waitFor();
    // The re-index is audited when the job ends, just after the page sees it end.
    await vi.waitFor(async () => {
      const audit = await getJson<{ audit: { actor: string; action: string }[] }>('/admin/api/audit');
      expect(audit.audit.some((a) => a.actor === 'an.nguyen' && a.action === 'reindex')).toBe(true);
      expect(audit.audit.some((a) => a.actor === 'an.nguyen' && a.action === 'logout')).toBe(true);
    });
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
