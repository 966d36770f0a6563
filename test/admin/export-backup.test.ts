import { emptyAdminDeps } from '../helpers/admin.js';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir } from '../../src/admin/backup.js';
import { csvField, toCsv } from '../../src/admin/csv.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { startApp } from '../helpers/app.js';

const TOKEN = 'test-export-token-0123456789abcdef';
const ROOT = path.resolve(import.meta.dirname, '../..');

describe('CSV', () => {
  it('quotes fields with commas, quotes or line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('Đăng ký khai sinh')).toBe('Đăng ký khai sinh');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('nói "không"')).toBe('"nói ""không"""');
    expect(csvField('dòng 1\r\ndòng 2')).toBe('"dòng 1\r\ndòng 2"');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(toCsv(['Câu hỏi', 'Số lần'], [['x', 2]])).toBe('\uFEFFCâu hỏi,Số lần\r\nx,2\r\n');
  });
});

describe('exports and backup', () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let dataDir: string;
  let store: SqliteStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'tlcv-export-'));
    store = SqliteStore.open(path.join(dataDir, 'assistant.db'));
    const admin = emptyAdminDeps(dataDir, store, { token: TOKEN });
    app = await startApp(() => null, { ratePerMinute: 1_000_000, admin });
    const turn = await store.recordTurn({
      conversation: { id: 'c-1', channel: 'zalo' },
      question: { text: 'Sổ đỏ, sổ hồng "mất" thì làm lại thế nào?', channel: 'zalo' },
      answer: { text: 'Dòng một\nDòng hai', channel: 'zalo', grounded: true },
      stateJson: '{}',
    });
    await store.addFeedback({
      conversationId: 'c-1',
      messageId: turn.answerId!,
      rating: 'down',
      comment: '=1+1 chưa đúng',
    });
    await store.recordTurn({
      conversation: { id: 'c-2', channel: 'web' },
      question: { text: 'nuôi khủng long, cần giấy phép gì', channel: 'web' },
      stateJson: '{}',
      unanswered: {
        question: 'nuôi khủng long, cần giấy phép gì',
        channel: 'web',
        normalized: 'nuoi khung long can giay phep gi',
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const get = (name: string) =>
    fetch(`${app.base}/admin/api/export/${name}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  /** The body with its byte-order mark (Response.text() drops it). */
  const raw = async (name: string) => Buffer.from(await (await get(name)).arrayBuffer()).toString('utf8');

  it('exports feedback as UTF-8 CSV with a BOM, quoted fields and a dated file name', async () => {
    const res = await get('feedback.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tro-ly-cong-vu-feedback-\d{4}-\d{2}-\d{2}\.csv"$/u,
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const [header, row] = text.split('\r\n');
    expect(header).toBe('Thời điểm,Đánh giá,Câu hỏi,Câu trả lời,Góp ý,Mã hội thoại');
    expect(row).toMatch(
      /^\d{4}-\d{2}-\d{2}T[\d:.]+Z,Chưa hữu ích,"Sổ đỏ, sổ hồng ""mất"" thì làm lại thế nào\?","Dòng một\nDòng hai",'=1\+1 chưa đúng,c-1$/u,
    );
    expect(text.endsWith('c-1\r\n')).toBe(true);
  });

  it('exports the gap report and the audit log (which records the exports)', async () => {
    const gaps = await raw('gaps.csv');
    expect(gaps).toBe(
      '\uFEFFCâu hỏi,Khóa gom nhóm,Số lần,Lần hỏi gần nhất,Kênh\r\n' +
        `"nuôi khủng long, cần giấy phép gì",nuoi khung long can giay phep gi,1,${(await store.gapReport())[0]!.lastAskedAt},web\r\n`,
    );
    const audit = (await raw('audit.csv')).split('\r\n');
    expect(audit[0]).toBe('\uFEFFThời điểm,Người thực hiện,Thao tác,Đối tượng,Kết quả,Chi tiết');
    expect(audit.slice(1, 3).map((l) => l.split(',').slice(1).join(','))).toEqual([
      'token,export,gaps.csv,Thành công,1 rows',
      'token,export,feedback.csv,Thành công,1 rows',
    ]);
    expect((await get('conversations.csv')).status).toBe(404);
  });

  it('backs up the database online, the snapshot in service, uploads and library.json, and checks the copy', async () => {
    await mkdir(path.join(dataDir, 'snapshots', '20250601-abc'), { recursive: true });
    await writeFile(
      path.join(dataDir, 'snapshots', '20250601-abc', 'manifest.json'),
      '{"id":"20250601-abc"}',
    );
    await mkdir(path.join(dataDir, 'snapshots', '20240101-old'), { recursive: true });
    await writeFile(path.join(dataDir, 'CURRENT'), '20250601-abc\n');
    await mkdir(path.join(dataDir, 'uploads'), { recursive: true });
    await writeFile(path.join(dataDir, 'uploads', 'qd-01.md'), 'Điều 1. Phạm vi');
    await writeFile(path.join(dataDir, 'library.json'), '{"uploads":{},"documents":{}}');
    const out = path.join(dataDir, 'backups');

    // Through the server's own connection, and through a second one while the server holds the file.
    const viaStore = await backupDataDir({
      dataDir,
      outDir: out,
      now: new Date('2025-06-01T08:09:10.123Z'),
      copyDatabase: (dest) => store.backupTo(dest),
    });
    const viaFile = await backupDataDir({ dataDir, outDir: out, now: new Date('2025-06-01T08:09:11Z') });
    for (const r of [viaStore, viaFile]) {
      expect(r.parts.map((p) => p.name)).toEqual([
        'assistant.db',
        'snapshots/20250601-abc',
        'uploads',
        'library.json',
      ]);
      expect(r.database).toMatchObject({
        integrity: 'ok',
        rows: { conversations: 2, messages: 3, feedback: 1, unanswered: 1 },
      });
      expect(r.snapshot).toBe('20250601-abc');
      expect(r.totalBytes).toBe(r.parts.reduce((n, p) => n + p.bytes, 0));
      expect(r.parts.find((p) => p.name === 'uploads')?.bytes).toBe(Buffer.byteLength('Điều 1. Phạm vi'));
    }
    expect(viaStore.dir).toBe(path.join(out, 'tlcv-backup-2025-06-01T08-09-10Z'));
    expect(await readFile(path.join(viaStore.dir, 'CURRENT'), 'utf8')).toBe('20250601-abc\n');
    expect(existsSync(path.join(viaStore.dir, 'snapshots', '20240101-old'))).toBe(false);
    const copy = new BetterSqlite3(path.join(viaFile.dir, 'assistant.db'), { readonly: true });
    expect(copy.prepare('SELECT comment FROM feedback').pluck().get()).toBe('=1+1 chưa đúng');
    copy.close();
    await expect(
      backupDataDir({ dataDir, outDir: out, now: new Date('2025-06-01T08:09:11Z') }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });
});

/** Runs an npm script's entry point with tsx, the given DATA_DIR and standard input. */
function run(
  script: string,
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'scripts', script), ...args],
      { cwd: ROOT, env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('npm run accounts, backup and purge', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tlcv-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('adds an account with the password from standard input, lists and disables it, backs up and purges', async () => {
    const env = { DATA_DIR: path.join(dir, 'data'), ADMIN_TOKEN: '', RETENTION_DAYS: '30' };
    const added = await run(
      'accounts.ts',
      ['add', 'Lan.Pham', '--role', 'editor'],
      env,
      'mật khẩu đủ dài 2025\n',
    );
    expect(added).toMatchObject({
      code: 0,
      stdout:
        'added lan.pham (editor, Biên tập viên)\nfirst account: restart the server to turn the admin page on\n',
    });
    const short = await run('accounts.ts', ['add', 'x.y', '--role', 'reader'], env, 'ngắn\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('password: at least 10 characters');
    expect((await run('accounts.ts', ['disable', 'lan.pham'], env)).stdout).toBe(
      'disabled lan.pham; 0 session(s) ended\n',
    );
    expect((await run('accounts.ts', ['list'], env)).stdout).toMatch(
      /^lan\.pham\s+editor\s+disabled\s+last sign-in never\n$/u,
    );

    const backup = await run('backup.ts', ['--out', path.join(dir, 'out')], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /database check: ok, schema version \d+; conversations 0, messages 0, feedback 0, unanswered 0, audit_log 0, admin_accounts 1\n/u,
    );
    const purge = await run('purge.ts', [], env);
    expect(purge.stdout).toMatch(
      /^removed data older than \S+: 0 conversations, 0 messages, 0 feedback, 0 unanswered questions \(kept as 0 gap-report counts\)\n$/u,
    );
  }, 60_000);
});
