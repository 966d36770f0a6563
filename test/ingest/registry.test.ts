import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { ingestPaths, listSourceFiles, loadFile, scanSourceFiles } from '../../src/ingest/registry.js';
import { DEFAULT_OCR_SETTINGS } from '../../src/ingest/ocr/tesseract.js';
import { writeVietnamesePdf } from '../../scripts/lib/pdf-writer.js';
import { writeMinimalDocx, writeZip } from '../fixtures/zip-writer.js';

async function failure(path: string, bytes: Uint8Array): Promise<AppError> {
  const err = await loadFile({ path, bytes }).catch((e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected AppError for ${path}, got ${String(err)}`);
  return err;
}

const PAGES = [
  'CHÍNH PHỦ\nSố: 34/2016/NĐ-CP\nHà Nội, ngày 14 tháng 5 năm 2016\n\nNGHỊ ĐỊNH\nQuy định chi tiết một số điều và biện pháp thi hành Luật Ban hành văn bản quy phạm pháp luật',
  'Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nNghị định này quy định chi tiết về việc đánh số thứ tự, ký hiệu văn bản.',
  'Điều 2. Đối tượng áp dụng\n1. Cơ quan, tổ chức, cá nhân có liên quan đến việc xây dựng, ban hành văn bản quy phạm pháp luật.\n2. Ủy ban nhân dân tỉnh, huyện, xã.',
];
let pdf: Buffer;

beforeAll(async () => {
  pdf = await writeVietnamesePdf(PAGES, { title: 'Nghị định 34/2016/NĐ-CP' });
});

describe('PDF ingest', () => {
  it('round-trips Vietnamese text with diacritics and puts page numbers on chunks', async () => {
    const [doc] = await loadFile({ path: 'corpus/nd-34.pdf', bytes: pdf });
    expect(doc?.meta).toMatchObject({
      id: '34/2016/NĐ-CP',
      pages: 3,
      docType: 'Nghị định',
      signedDate: '2016-05-14',
    });
    expect(doc?.chunks.map((c) => [c.id, c.page])).toEqual([
      ['34/2016/NĐ-CP#preamble', 1],
      ['34/2016/NĐ-CP#d1', 2],
      ['34/2016/NĐ-CP#d2', 3],
    ]);
    expect(doc?.chunks[2]?.text).toContain('Ủy ban nhân dân tỉnh, huyện, xã.');
    expect(doc?.chunks[2]?.citation).toBe('Điều 2 Nghị định 34/2016/NĐ-CP');
  });

  it('is loaded by content even when its extension lies (.txt)', async () => {
    const [doc] = await loadFile({ path: 'corpus/nd-34.txt', bytes: pdf });
    expect(doc?.meta.pages).toBe(3);
  });

  it('reports corrupt bytes, a truncated file, a password, no pages and no text layer by name', async () => {
    const corrupt = await failure(
      'corpus/hong.pdf',
      Buffer.from('%PDF-1.7\nthis is not really a pdf at all\n%%EOF'),
    );
    expect([corrupt.code, corrupt.message.startsWith('corpus/hong.pdf: ')]).toEqual(['pdf_corrupt', true]);
    const random = await failure('corpus/rac.pdf', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x99, 0xfe]));
    expect(random.code).toBe('pdf_corrupt');
    const truncated = await failure('corpus/cut.pdf', pdf.subarray(0, Math.floor(pdf.length / 3)));
    expect([truncated.code, truncated.message.startsWith('corpus/cut.pdf: ')]).toEqual(['pdf_corrupt', true]);
    const locked = await failure(
      'corpus/locked.pdf',
      await writeVietnamesePdf(['Bí mật'], { userPassword: 'matkhau' }),
    );
    expect(locked.code).toBe('pdf_encrypted');
    expect(locked.message).toBe(
      'corpus/locked.pdf: the PDF is password-protected (encrypted); remove the password and upload again',
    );
    const empty = await failure('corpus/empty.pdf', await writeVietnamesePdf([]));
    expect([empty.code, empty.message]).toEqual(['pdf_empty', 'corpus/empty.pdf: the PDF has no pages']);
    const noOcr = { ocr: { ...DEFAULT_OCR_SETTINGS, enabled: false } };
    const scanned = await loadFile(
      { path: 'corpus/scan.pdf', bytes: await writeVietnamesePdf([], { blankPages: 2 }) },
      {},
      noOcr,
    ).catch((e: AppError) => e);
    expect(scanned).toBeInstanceOf(AppError);
    expect((scanned as AppError).code).toBe('pdf_image_only');
    expect((scanned as AppError).message).toMatch(
      /^corpus\/scan\.pdf: the PDF has 2 pages but no text layer; it looks scanned — run OCR first \(/u,
    );
    expect((scanned as AppError).reason).toMatch(/bản quét .*OCR_ENABLED=false/u);
  });
});

describe('other formats and file-level errors', () => {
  it('reads a Word document', async () => {
    const docx = writeMinimalDocx([
      'ỦY BAN NHÂN DÂN',
      'TỈNH LẠNG SƠN',
      'Số: 119/QĐ-UBND',
      '',
      'QUYẾT ĐỊNH',
      'Về việc công bố thủ tục hành chính',
      'Điều 1. Công bố kèm theo Quyết định này thủ tục hành chính.',
      'Điều 2. Quyết định có hiệu lực kể từ ngày ký.',
    ]);
    const [doc] = await loadFile({ path: 'corpus/qd-119.docx', bytes: docx });
    expect(doc?.meta).toMatchObject({
      id: '119/QĐ-UBND@uy-ban-nhan-dan-tinh-lang-son',
      number: '119/QĐ-UBND',
      docType: 'Quyết định',
      issuer: 'ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
    });
    expect(doc?.chunks.map((c) => c.citation)).toEqual([
      'Quyết định 119/QĐ-UBND',
      'Điều 1 Quyết định 119/QĐ-UBND',
      'Điều 2 Quyết định 119/QĐ-UBND',
    ]);
  });

  it('rejects a ZIP that is not a Word document', async () => {
    const err = await failure('corpus/file.docx', writeZip({ 'readme.txt': 'xin chào' }));
    expect(err.code).toBe('docx_unreadable');
    expect(err.message).toMatch(/^corpus\/file\.docx: not a Word document/u);
  });

  it('reads HTML without scripts, styles and navigation', async () => {
    const html =
      '<!DOCTYPE html><html><head><title>Thông tư 01/2022/TT-BTP</title><style>p{}</style></head><body><nav>Trang chủ</nav><p>BỘ TƯ PHÁP</p><p>Số: 01/2022/TT-BTP</p><p>THÔNG TƯ</p><p>Hướng dẫn đăng ký hộ tịch trực tuyến</p><h3>Điều 1. Phạm vi</h3><p>Thông tư này hướng dẫn.</p><script>alert(1)</script></body></html>';
    const [doc] = await loadFile({ path: 'corpus/tt.html', bytes: Buffer.from(html) });
    expect(doc?.meta).toMatchObject({ id: '01/2022/TT-BTP', docType: 'Thông tư', issuer: 'BỘ TƯ PHÁP' });
    const all = doc?.chunks.map((c) => c.text).join('\n') ?? '';
    expect(all).not.toMatch(/alert|Trang chủ|p\{\}/u);
    expect(doc?.chunks.at(-1)?.text).toBe('Điều 1. Phạm vi\nThông tư này hướng dẫn.');
  });

  it('gives empty_file for 0 bytes, legacy_encoding for TCVN3 text and unsupported_format for invalid UTF-8', async () => {
    expect((await failure('corpus/zero.txt', new Uint8Array())).code).toBe('empty_file');
    const tcvn3 = Buffer.from(
      'Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc\nNghÞ ®Þnh vÒ ®¨ng ký hé tÞch',
      'utf8',
    );
    const legacy = await failure('corpus/cu.txt', tcvn3);
    expect(legacy.code).toBe('legacy_encoding');
    expect(legacy.message).toMatch(/^corpus\/cu\.txt: /u);
    const latin1 = await failure('corpus/latin1.txt', Buffer.from([0x43, 0xe9, 0x6e, 0x67, 0x20, 0xb5]));
    expect(latin1.code).toBe('unsupported_format');
  });

  it('names line 3 of a JSON Lines file with a broken line', async () => {
    const lines = [
      '{"_id":"a","text":"một"}',
      '{"_id":"b","text":"hai"}',
      '{"_id":"c","text":',
      '{"_id":"d","text":"bốn"}',
    ];
    const err = await failure('corpus/corpus.jsonl', Buffer.from(lines.join('\n')));
    expect(err.code).toBe('json_malformed');
    expect(err.message).toContain('line 3');
  });
});

describe('walking folders', () => {
  it('lists loadable files sorted and names every file it skips with the reason; ingests each with its hash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ingest-'));
    await mkdir(join(dir, 'sub'));
    await writeFile(join(dir, 'b.txt'), 'Điều 1. Phạm vi\nNội dung.');
    await writeFile(join(dir, 'README.md'), '# Thư mục');
    await writeFile(join(dir, '.hidden.txt'), 'ẩn');
    await writeFile(join(dir, 'bang-tinh.xlsx'), Buffer.from('PK\x05\x06'));
    await writeFile(join(dir, 'sub', 'a.md'), '## Điều 1. Tiêu đề\nNội dung.');
    await writeFile(join(dir, 'sub', 'zero.txt'), '');
    const scan = await scanSourceFiles([dir]);
    expect(scan.skipped.map((f) => [f.path, f.reason])).toEqual([
      [join(dir, '.hidden.txt'), expect.stringMatching(/^tệp ẩn/u)],
      [join(dir, 'README.md'), expect.stringMatching(/README\.md/u)],
      [join(dir, 'bang-tinh.xlsx'), expect.stringMatching(/^định dạng “\.xlsx” không được hỗ trợ/u)],
    ]);
    expect(await listSourceFiles([dir])).toEqual([
      join(dir, 'b.txt'),
      join(dir, 'sub', 'a.md'),
      join(dir, 'sub', 'zero.txt'),
    ]);
    const seen: string[] = [];
    const results = await ingestPaths([dir], {}, (done, total, path) =>
      seen.push(`${done}/${total} ${path}`),
    );
    expect(seen).toEqual([
      `1/3 ${join(dir, 'b.txt')}`,
      `2/3 ${join(dir, 'sub', 'a.md')}`,
      `3/3 ${join(dir, 'sub', 'zero.txt')}`,
    ]);
    expect(results.map((r) => [r.ok, r.fileHash.length])).toEqual([
      [true, 64],
      [true, 64],
      [false, 64],
    ]);
    const bad = results[2];
    expect(bad?.ok === false ? bad.error.code : undefined).toBe('empty_file');
    const md = results[1];
    expect(md?.ok === true ? md.documents[0]?.chunks[0]?.text : undefined).toBe('Điều 1. Tiêu đề\nNội dung.');
  });
});
