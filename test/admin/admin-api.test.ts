import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminDeps } from '../../src/admin/api.js';
import { LiveIndex, ReindexJobs, type Job } from '../../src/admin/jobs.js';
import { DocumentLibrary } from '../../src/admin/library.js';
import { reindex } from '../../src/admin/reindex.js';
import { createLogger } from '../../src/channels/http/logger.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { writeVietnamesePdf } from '../../scripts/lib/pdf-writer.js';
import { scannedCopy } from '../../scripts/lib/scan.js';
import { writeMinimalDocx, writeZip } from '../fixtures/zip-writer.js';
import { startApp } from '../helpers/app.js';

const TOKEN = 'test-admin-token-0123456789abcdef';
const CORPUS = path.resolve(import.meta.dirname, '../../corpus');

/** A provincial decision's id: its number and its issuer (numbers repeat across provinces). */
const DECISION_ID = '01/2099/QĐ-UBND@uy-ban-nhan-dan-tinh-thu-nghiem';

/** A decision written for these tests only (the number is from the future on purpose). */
const DECISION = `ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 01/2099/QĐ-UBND
ngày 02 tháng 01 năm 2099

QUYẾT ĐỊNH
Ban hành quy định về giờ tiếp nhận hồ sơ buổi tối tại Bộ phận Một cửa (tài liệu kiểm thử)

Điều 1. Giờ tiếp nhận hồ sơ buổi tối
Bộ phận Một cửa tiếp nhận hồ sơ buổi tối từ 18 giờ đến 20 giờ các ngày thứ Ba và thứ Năm hằng tuần.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.
`;
const QUESTION = 'giờ tiếp nhận hồ sơ buổi tối tại bộ phận một cửa';

let app: Awaited<ReturnType<typeof startApp>>;
let live: LiveIndex;
let jobs: ReindexJobs;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-admin-'));
  const snapshots = new SnapshotStore(dataDir, 10);
  await reindex(snapshots, { kind: 'lsa' }, { paths: [CORPUS] });
  live = new LiveIndex();
  live.swap(new Retriever((await snapshots.loadCurrent({ kind: 'lsa' }))!));
  const library = new DocumentLibrary(dataDir);
  jobs = new ReindexJobs({ store: snapshots, library, live, setting: { kind: 'lsa' }, corpusDir: CORPUS });
  const store = SqliteStore.open(':memory:');
  const admin: AdminDeps = {
    token: TOKEN,
    library,
    jobs,
    live,
    snapshots,
    store,
    logger: createLogger({ level: 'silent' }),
    maxUploadBytes: 1_500_000,
  };
  app = await startApp(live.current, { admin, ratePerMinute: 1_000_000 });
  // The admin deps use their own store for the audit log; the app's store records conversations.
  admin.store = app.store;
});
afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Files in the uploads folder (none before the first upload). */
const uploads = () => readdir(path.join(dataDir, 'uploads')).catch(() => [] as string[]);

const auth = { Authorization: `Bearer ${TOKEN}` };

async function upload(
  files: { name: string; bytes: Uint8Array | string; type?: string }[],
  fields: Record<string, string> = {},
  query = '',
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files)
    form.append(
      'file',
      new Blob([typeof f.bytes === 'string' ? f.bytes : new Uint8Array(f.bytes)], {
        type: f.type ?? 'application/octet-stream',
      }),
      f.name,
    );
  const res = await fetch(`${app.base}/admin/api/documents${query}`, {
    method: 'POST',
    headers: auth,
    body: form,
  });
  return {
    status: res.status,
    body: (await res.json()) as {
      results: { name: string; status: string; code?: string; reason?: string }[];
      job?: Job;
    },
  };
}

async function reindexNow(full = false): Promise<Job> {
  const res = await fetch(`${app.base}/admin/api/reindex`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ full }),
  });
  expect(res.status).toBe(202);
  const { job } = (await res.json()) as { job: Job };
  const done = await jobs.wait(job.id);
  expect(done.state, done.error).toBe('succeeded');
  return done;
}

async function ask(
  message: string,
): Promise<{ citations: { label: string; sourceId: string }[]; outcome: string }> {
  const res = await fetch(`${app.base}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message }),
  });
  return (await res.json()) as { citations: { label: string; sourceId: string }[]; outcome: string };
}

const citesDecision = async () =>
  (await ask(QUESTION)).citations.some((c) => c.label.includes('01/2099/QĐ-UBND'));

describe('admin API access', () => {
  it('refuses a missing, wrong or same-length wrong token with the same 401 and no hint', async () => {
    const wrongSameLength = 'x'.repeat(TOKEN.length);
    const answers = [];
    for (const headers of [
      {},
      { Authorization: 'Bearer nope' },
      { Authorization: `Bearer ${wrongSameLength}` },
      { Authorization: TOKEN },
    ]) {
      const res = await fetch(`${app.base}/admin/api/documents`, { headers });
      answers.push([res.status, await res.text()]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]![0]).toBe(401);
  });

  it('serves /metrics to a scraper on this machine or one with the admin token, not to a client through a proxy', async () => {
    expect((await fetch(`${app.base}/metrics`)).status).toBe(200);
    const proxied = await fetch(`${app.base}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(proxied.status).toBe(401);
    expect(((await proxied.json()) as { message: string }).message).toMatch(/quản trị viên/u);
    const scraped = await fetch(`${app.base}/metrics`, {
      headers: { 'X-Forwarded-For': '203.0.113.7', ...auth },
    });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^retrieval_cache_hits |assistant_answers_total/mu);
  });

  it('is off (404) when no admin token is configured', async () => {
    const other = await startApp(live.current);
    try {
      expect((await fetch(`${other.base}/admin/api/documents`, { headers: auth })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('administering documents on a live server', () => {
  let firstWithDecision = '';

  it('an uploaded decision is cited in answers after a re-index, and the change is audited', async () => {
    expect(await citesDecision()).toBe(false);
    const up = await upload(
      [{ name: 'qd-01-2099-gio-tiep-nhan.md', bytes: DECISION, type: 'text/markdown' }],
      { audience: 'public' },
    );
    expect(up.status).toBe(201);
    expect(up.body.results[0]).toMatchObject({ status: 'stored' });
    const job = await reindexNow();
    expect(job.report?.added.some((p) => p.endsWith('qd-01-2099-gio-tiep-nhan.md'))).toBe(true);
    expect(await citesDecision()).toBe(true);
    firstWithDecision = job.report!.snapshotId!;
    const list = (await (
      await fetch(`${app.base}/admin/api/documents?kind=legal`, { headers: auth })
    ).json()) as {
      documents: { id: string; number?: string; uploaded: boolean; chunks: number; snapshot: string }[];
    };
    const doc = list.documents.find((d) => d.number === '01/2099/QĐ-UBND');
    expect(doc).toMatchObject({ uploaded: true, snapshot: firstWithDecision });
    expect(doc!.chunks).toBeGreaterThan(0);
    const audit = (await (await fetch(`${app.base}/admin/api/audit`, { headers: auth })).json()) as {
      audit: { action: string; target: string; result: string }[];
    };
    expect(
      audit.audit.some(
        (a) => a.action === 'upload' && a.target === 'qd-01-2099-gio-tiep-nhan.md' && a.result === 'ok',
      ),
    ).toBe(true);
  });

  it('uploading the same file again is reported as a duplicate and stores nothing', async () => {
    const before = await uploads();
    const up = await upload([{ name: 'ban-sao.md', bytes: DECISION }]);
    expect(up.status).toBe(200);
    expect(up.body.results[0]).toMatchObject({ status: 'duplicate' });
    expect(await uploads()).toEqual(before);
  });

  it('marking the decision "hết hiệu lực" takes it out of answers', async () => {
    const res = await fetch(`${app.base}/admin/api/documents/${encodeURIComponent(DECISION_ID)}`, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'het_hieu_luc_toan_bo', expiryDate: '2099-06-30' }),
    });
    expect(res.status).toBe(200);
    await reindexNow();
    expect(await citesDecision()).toBe(false);
  });

  it('rolling back to an earlier snapshot restores its answers', async () => {
    const res = await fetch(`${app.base}/admin/api/snapshots/${firstWithDecision}/activate`, {
      method: 'POST',
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(await citesDecision()).toBe(true);
    const list = (await (await fetch(`${app.base}/admin/api/snapshots`, { headers: auth })).json()) as {
      serving: string;
      snapshots: { id: string; active: boolean }[];
    };
    expect(list.serving).toBe(firstWithDecision);
    expect(list.snapshots.find((s) => s.active)?.id).toBe(firstWithDecision);
  });

  it('deleting the decision removes it from answers and deletes the uploaded file', async () => {
    // Undo the expiry first so that only the deletion explains the change.
    await fetch(`${app.base}/admin/api/documents/${encodeURIComponent(DECISION_ID)}`, {
      method: 'PATCH',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'con_hieu_luc' }),
    });
    const res = await fetch(`${app.base}/admin/api/documents/${encodeURIComponent(DECISION_ID)}`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: string }).result).toBe('file_deleted');
    await reindexNow();
    expect(await citesDecision()).toBe(false);
    expect(await uploads()).not.toContain('qd-01-2099-gio-tiep-nhan.md');
  });

  it('a second re-index while one runs gets 409 with the running job id', async () => {
    const first = await fetch(`${app.base}/admin/api/reindex`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ full: true }),
    });
    expect(first.status).toBe(202);
    const { job } = (await first.json()) as { job: Job };
    const second = await fetch(`${app.base}/admin/api/reindex`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: 'conflict', jobId: job.id });
    // Progress can be followed as Server-Sent Events until the job ends.
    const events = await (
      await fetch(`${app.base}/admin/api/reindex/${job.id}/events`, { headers: auth })
    ).text();
    expect(events).toMatch(/event: end\ndata: .*"state":"succeeded"/u);
  });

  it('the server keeps answering while re-indexes and a rollback swap the snapshot', async () => {
    const snapshotsBefore = (await (
      await fetch(`${app.base}/admin/api/snapshots`, { headers: auth })
    ).json()) as { snapshots: { id: string }[] };
    let failures = 0;
    let answered = 0;
    let stop = false;
    const load = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const res = await fetch(`${app.base}/api/chat`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ message: 'lệ phí đăng ký khai sinh' }),
        });
        const body = (await res.json()) as { outcome: string };
        if (res.status !== 200 || body.outcome !== 'grounded') failures++;
        else answered++;
      }
    });
    await reindexNow(true);
    await reindexNow(true);
    const rollback = await fetch(
      `${app.base}/admin/api/snapshots/${snapshotsBefore.snapshots[0]!.id}/activate`,
      { method: 'POST', headers: auth },
    );
    expect(rollback.status).toBe(200);
    stop = true;
    await Promise.all(load);
    expect(failures).toBe(0);
    expect(answered).toBeGreaterThan(0);
  });
});

describe('bad uploads', () => {
  it('each bad file gets its own clear reason, and nothing of it is stored or indexed', async () => {
    const before = await uploads();
    const encrypted = await writeVietnamesePdf(['Bí mật'], { userPassword: 'matkhau' });
    const scanned = await writeVietnamesePdf([], { blankPages: 2 });
    const up = await upload([
      { name: 'hong.pdf', bytes: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage') },
      { name: 'khoa.pdf', bytes: encrypted },
      { name: 'scan.pdf', bytes: scanned },
      { name: 'rong.txt', bytes: '' },
      { name: '../../etc/passwd.txt', bytes: 'Điều 1. Nội dung.' },
      { name: 'qua-lon.txt', bytes: 'Điều 1. '.repeat(200_000) },
      { name: 'gia.docx', bytes: writeZip({ 'readme.txt': 'không phải Word' }) },
      {
        name: 'thu-tuc.jsonl',
        bytes: '{"ma_thu_tuc": "9.999999", "ten_thu_tuc": "Thử"\n{khong phai json}\n',
      },
    ]);
    expect(up.status, JSON.stringify(up.body)).toBe(422);
    const byName = Object.fromEntries(up.body.results.map((r) => [r.name, r]));
    expect(up.body.results.every((r) => r.status === 'failed' && (r.reason ?? '').length > 5)).toBe(true);
    expect(byName['hong.pdf']!.code).toBe('pdf_corrupt');
    expect(byName['khoa.pdf']!.code).toBe('pdf_encrypted');
    // Two blank pages: OCR runs and finds nothing to read.
    expect(byName['scan.pdf']!.code).toBe('not_a_document');
    expect(byName['rong.txt']!.code).toBe('empty');
    expect(byName['qua-lon.txt']!.code).toBe('too_large');
    expect(byName['gia.docx']!.code).toBe('docx_unreadable');
    expect(byName['thu-tuc.jsonl']!.code).toBe('json_malformed');
    expect(byName['thu-tuc.jsonl']!.reason).toMatch(/dòng 1/u);
    const badNames = up.body.results.filter((r) => r.code === 'bad_name');
    expect(badNames).toHaveLength(1);
    // A control character in a file name breaks the multipart header itself: the whole upload is refused.
    const control = await upload([{ name: 'dieu\u0007khien.txt', bytes: 'Điều 1. Nội dung khác.' }]);
    expect(control.status).toBeGreaterThanOrEqual(400);
    expect(await uploads()).toEqual(before);
  });

  it('a Word document with a lying extension is read by its content', async () => {
    const docx = writeMinimalDocx(['QUYẾT ĐỊNH', 'Điều 1. Tài liệu kiểm thử về đuôi tệp sai.']);
    const up = await upload([{ name: 'quyet-dinh.txt', bytes: docx }]);
    expect(up.body.results[0]).toMatchObject({ status: 'stored' });
  });

  it('metadata with an unknown status is refused naming the field, in Vietnamese with the detail beside it', async () => {
    const form = new FormData();
    form.append('status', 'con_hieu_luc_mai_mai');
    form.append('file', new Blob(['Điều 1. Nội dung.']), 'a.txt');
    const res = await fetch(`${app.base}/admin/api/documents`, { method: 'POST', headers: auth, body: form });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; detail: string };
    expect(body.message).toBe('Yêu cầu không hợp lệ ở trường “status”.');
    expect(body.detail).toMatch(/^status: /u);
  });
});

describe('file names of uploads', () => {
  it('refuses folders, "..", control characters and hidden names, and accepts Vietnamese names', async () => {
    const { badFileName } = await import('../../src/admin/library.js');
    for (const bad of [
      '../x.pdf',
      'a/b.pdf',
      'a\\b.pdf',
      'x\u0000.pdf',
      'x\u001b.pdf',
      '.env',
      '',
      ' ',
      'a'.repeat(200) + '.pdf',
    ]) {
      expect(badFileName(bad), JSON.stringify(bad)).not.toBeNull();
    }
    expect(badFileName('Nghị định 123-2015 hộ tịch.pdf')).toBeNull();
  });
});

/** A provincial decision written for this test, printed, signed and scanned: no text layer. */
const SCANNED_DECISION = [
  `ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM
Số: 05/2099/QĐ-UBND
Thử Nghiệm, ngày 09 tháng 02 năm 2099
QUYẾT ĐỊNH
Về hỗ trợ cước chuyển phát hồ sơ thủ tục hành chính
Điều 1. Phạm vi điều chỉnh
Quyết định này quy định việc hỗ trợ cước chuyển phát hồ sơ và kết quả giải quyết thủ tục hành chính qua bưu chính công ích.`,
  `Điều 2. Đối tượng được miễn cước
Người cao tuổi từ đủ 80 tuổi và người khuyết tật nặng được miễn cước chuyển phát hồ sơ thủ tục hành chính qua bưu chính công ích.
Điều 3. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày ký.`,
];

describe('a scanned decision uploaded by an administrator', () => {
  it('is read by OCR, becomes searchable and is cited by its Điều with the page, marked as a scan', async () => {
    const pdf = await scannedCopy(await writeVietnamesePdf(SCANNED_DECISION), 300);
    const up = await upload([{ name: 'qd-05-2099-ban-quet.pdf', bytes: pdf, type: 'application/pdf' }]);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.results[0]).toMatchObject({ status: 'stored' });
    const job = await reindexNow();
    expect(job.report?.added.some((p) => p.endsWith('qd-05-2099-ban-quet.pdf'))).toBe(true);
    const answer = (await ask(
      'người khuyết tật nặng có được miễn cước chuyển phát hồ sơ không',
    )) as unknown as {
      citations: { label: string; page?: number; scanned?: boolean }[];
    };
    const cited = answer.citations.find((c) => c.label.includes('05/2099/QĐ-UBND'));
    expect(cited, JSON.stringify(answer.citations)).toMatchObject({
      label: 'Điều 2 Quyết định 05/2099/QĐ-UBND',
      page: 2,
      scanned: true,
    });
    const list = (await (
      await fetch(`${app.base}/admin/api/documents?kind=legal`, { headers: auth })
    ).json()) as { documents: { number?: string; scannedPages?: number[] }[] };
    expect(list.documents.find((d) => d.number === '05/2099/QĐ-UBND')).toMatchObject({
      scannedPages: [1, 2],
    });
  }, 120_000);
});
