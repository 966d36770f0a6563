import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindex } from '../../src/admin/reindex.js';
import { AppError } from '../../src/errors.js';
import { SnapshotStore } from '../../src/index/snapshot-store.js';
import { cleanOcrText, stripPageFurniture } from '../../src/ingest/legal/layout.js';
import { DEFAULT_OCR_SETTINGS, ocrUnavailable } from '../../src/ingest/ocr/tesseract.js';
import { loadFile } from '../../src/ingest/registry.js';
import { Retriever } from '../../src/retrieve/retriever.js';
import { dejaVuSansPath, writeVietnamesePdf } from '../../scripts/lib/pdf-writer.js';
import { renderPages, scannedCopy } from '../../scripts/lib/scan.js';
import { writeMinimalDocx } from '../fixtures/zip-writer.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
/** CI installs tesseract-ocr, tesseract-ocr-vie and poppler-utils; elsewhere the OCR tests run when they are there. */
const ocrReady = (await ocrUnavailable(DEFAULT_OCR_SETTINGS)) === null;
const runOcr = ocrReady || process.env.CI === 'true';

/** A decree written for these tests: two pages, Chương and Điều, with diacritics everywhere. */
const DECREE_PAGES = [
  `CHÍNH PHỦ
Số: 31/2098/NĐ-CP
Hà Nội, ngày 15 tháng 3 năm 2098
NGHỊ ĐỊNH
Quy định về tiếp nhận hồ sơ thủ tục hành chính qua bưu chính công ích
Căn cứ Luật Tổ chức Chính phủ;
Chính phủ ban hành Nghị định quy định về tiếp nhận hồ sơ qua bưu chính công ích.
Chương I
NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Nghị định này quy định việc tiếp nhận hồ sơ, trả kết quả giải quyết thủ tục hành chính qua dịch vụ bưu chính công ích.
Điều 2. Đối tượng áp dụng
Nghị định này áp dụng đối với cơ quan, tổ chức, cá nhân có yêu cầu giải quyết thủ tục hành chính.`,
  `Chương II
TIẾP NHẬN HỒ SƠ
Điều 3. Lệ phí chuyển phát hồ sơ
1. Người nộp hồ sơ trả cước chuyển phát theo bảng giá của doanh nghiệp bưu chính.
2. Người có công với cách mạng được miễn cước chuyển phát hồ sơ.
Điều 4. Thời hạn chuyển hồ sơ
Doanh nghiệp bưu chính chuyển hồ sơ đến cơ quan giải quyết trong thời hạn 01 ngày làm việc.`,
];

let textPdf: Buffer;
let scanned: Buffer;
let dir: string;

beforeAll(async () => {
  textPdf = await writeVietnamesePdf(DECREE_PAGES, { title: 'Nghị định 31/2098/NĐ-CP' });
  if (runOcr) scanned = await scannedCopy(textPdf, 300);
  dir = await mkdtemp(join(tmpdir(), 'tlcv-real-'));
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A PDF whose first page has a text layer and whose second is a scanned image. */
async function mixedPdf(): Promise<Buffer> {
  const [, page2] = await renderPages(textPdf, 300);
  const doc = new PDFDocument({ autoFirstPage: false, size: 'A4', margin: 56 });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(parts))));
  doc.on('data', (b: Buffer) => parts.push(b));
  doc.registerFont('DejaVu', dejaVuSansPath());
  doc.addPage();
  doc.font('DejaVu').fontSize(11).text(DECREE_PAGES[0]!, { lineGap: 2 });
  doc.addPage();
  doc.image(page2!, 0, 0, { width: doc.page.width, height: doc.page.height });
  doc.end();
  return done;
}

describe.runIf(runOcr)('scanned documents are read by OCR', () => {
  it('a scanned decree keeps its diacritics, number and Điều structure, and its passages say they come from a scan', async () => {
    const [doc] = await loadFile({ path: 'uploads/nd-31-scan.pdf', bytes: scanned });
    expect(doc?.meta).toMatchObject({
      id: '31/2098/NĐ-CP',
      number: '31/2098/NĐ-CP',
      docType: 'Nghị định',
      issuer: 'CHÍNH PHỦ',
      signedDate: '2098-03-15',
      scannedPages: [1, 2],
    });
    const articles = doc!.chunks.filter((c) => c.article !== undefined);
    expect([...new Set(articles.map((c) => c.article))]).toEqual(['1', '2', '3', '4']);
    const fee = doc!.chunks.find((c) => c.article === '3' && c.text.includes('miễn cước'));
    expect(fee).toMatchObject({
      page: 2,
      scanned: true,
      citation: expect.stringMatching(/Điều 3 Nghị định 31\/2098\/NĐ-CP$/u),
    });
    expect(doc!.chunks.map((c) => c.text).join('\n')).toContain(
      'Người có công với cách mạng được miễn cước chuyển phát hồ sơ',
    );
  }, 60_000);

  it('a mixed PDF only recognises the page without a text layer', async () => {
    const pages: number[] = [];
    const [doc] = await loadFile(
      { path: 'mixed.pdf', bytes: await mixedPdf() },
      {},
      { onOcrProgress: (done, total) => pages.push(done, total) },
    );
    expect(doc?.meta.scannedPages).toEqual([2]);
    expect(pages).toEqual([0, 1, 1, 1]);
    expect(doc!.chunks.find((c) => c.article === '1')?.scanned).toBeUndefined();
    expect(doc!.chunks.find((c) => c.article === '4')).toMatchObject({ page: 2, scanned: true });
  }, 60_000);

  it('a photographed page (PNG) is read as a one-page scanned document', async () => {
    const [png] = await renderPages(textPdf, 300);
    const [doc] = await loadFile({ path: 'anh-chup.png', bytes: png! });
    expect(doc?.meta).toMatchObject({ number: '31/2098/NĐ-CP', scannedPages: [1] });
  }, 60_000);
});

describe('without OCR', () => {
  it('a scanned PDF is refused with the reason OCR cannot run, in Vietnamese', async () => {
    const bytes = runOcr ? scanned : await writeVietnamesePdf([], { blankPages: 2 });
    const missing = { ...DEFAULT_OCR_SETTINGS, tesseract: '/nonexistent/tesseract' };
    const err = await loadFile({ path: 'scan.pdf', bytes }, {}, { ocr: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('pdf_image_only');
    expect((err as AppError).message).toMatch(/no text layer; it looks scanned — run OCR first/u);
    expect((err as AppError).reason).toMatch(
      /^scan\.pdf: tệp PDF là bản quét \(2 trang, không có lớp chữ\) .*chưa cài chương trình nhận dạng chữ tesseract/u,
    );
  });
});

describe('OCR clean-up and page furniture', () => {
  it('joins split diacritics, reads digits in numbers and headings, drops stamp noise', () => {
    const raw =
      'Điều l. Phạm vi\nNghi ̣ định này\nngày 29 tháng l1 năm 2O20\n% ¬ ˆ\n—*\nmôi trư-\nờng điện tử';
    expect(cleanOcrText(raw)).toBe(
      'Điều 1. Phạm vi\nNghị định này\nngày 29 tháng 11 năm 2020\nmôi trường điện tử',
    );
  });

  it('removes the gazette header, page numbers and lines repeated at the top of every page', () => {
    const pages = [
      'CÔNG BÁO/Số 35 + 36/Ngày 08-01-2024 \t33\nQUỐC HỘI\nLuật số: 26/2023/QH15\nĐiều 1. A',
      '34 \tCÔNG BÁO/Số 35 + 36/Ngày 08-01-2024\nĐiều 2. B\n- 2 -',
      'CÔNG BÁO/Số 35 + 36/Ngày 08-01-2024 \t35\nĐiều 3. C',
    ];
    expect(stripPageFurniture(pages)).toEqual([
      'QUỐC HỘI\nLuật số: 26/2023/QH15\nĐiều 1. A',
      'Điều 2. B',
      'Điều 3. C',
    ]);
  });
});

describe('headers of real documents', () => {
  it("an OCR'd header with its stamp, a spaced number and words run together still gives number, type, issuer and date", async () => {
    const page = [
      'Ký bởi: Cổng Thông tin điện tử Chính phủ',
      'CHINHPHU.VN Thời gian ký: 03.02.2098 09:57:52 +07:00',
      'CHÍNHPHỦ _ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Số: 45 /2098/NĐ-CP Hà Nội, ngày 08 tháng 4 năm 2098',
      "'NGHỊ ĐỊNH Ngày: vai t/22..",
      'Về thực hiện thủ tục hành chính trên môi trường điện tử',
      'Điều l. Phạm vi điều chỉnh',
      'Nghị định này quy định việc thực hiện thủ tục hành chính trên môi trường điện tử.',
      'Điều 2. Đối tượng áp dụng',
      'Các cơ quan giải quyết thủ tục hành chính và tổ chức, cá nhân có yêu cầu.',
    ].join('\n');
    const [doc] = await loadFile({
      path: 'nd-45-scan.txt',
      bytes: Buffer.from(cleanOcrText(stripPageFurniture([page])[0]!)),
    });
    expect(doc?.meta).toMatchObject({
      number: '45/2098/NĐ-CP',
      docType: 'Nghị định',
      issuer: 'CHÍNH PHỦ',
      signedDate: '2098-04-08',
      place: 'Hà Nội',
    });
    expect(doc?.meta.title).toBe(
      'Nghị định 45/2098/NĐ-CP về thực hiện thủ tục hành chính trên môi trường điện tử',
    );
    expect(doc!.chunks.filter((c) => c.article !== undefined).map((c) => c.article)).toEqual(['1', '2']);
  });

  it("a number cited in the subject is not the document's; an unreadable one is completed from the file name only when they agree", async () => {
    const text = (numberLine: string) =>
      `BỘ CÔNG AN\n${numberLine}\nHà Nội, ngày 31 tháng 12 năm 2098\nTHÔNG TƯ\nSửa đổi một số điều của Thông tư số 57/2095/TT-BCA\nĐiều 1. Sửa đổi\nSửa đổi khoản 1 Điều 3 của Thông tư số 57/2095/TT-BCA về trang bị phương tiện.\nĐiều 2. Hiệu lực\nThông tư này có hiệu lực kể từ ngày ký.`;
    const [garbled] = await loadFile({
      path: '24_THONG_TU_Thong tu 148.2098.TT_BCA.txt',
      bytes: Buffer.from(text("Số: 4/#'/2098/TT-BCA")),
    });
    expect(garbled?.meta.number).toBe('148/2098/TT-BCA');
    expect(garbled?.warnings?.join('\n')).toMatch(/lấy theo tên tệp: 148\/2098\/TT-BCA/u);
    const [otherName] = await loadFile({
      path: 'thong-tu-12-2097-tt-btp.txt',
      bytes: Buffer.from(text("Số: 4/#'/2098/TT-BCA")),
    });
    expect(otherName?.meta.number).toBeUndefined();
    expect(otherName?.warnings?.join('\n')).toMatch(/số hiệu trên văn bản không đọc được/u);
  });

  it("a Công báo PDF gets the law's own number, not the gazette issue, and no page header in its passages", async () => {
    const header = (n: number) =>
      n % 2 === 1
        ? `CÔNG BÁO/Số 71 + 72/Ngày 20-02-2098    ${n}`
        : `${n}    CÔNG BÁO/Số 71 + 72/Ngày 20-02-2098`;
    const pdf = await writeVietnamesePdf([
      `${header(33)}\nQUỐC HỘI\nLuật số: 12/2098/QH15\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLUẬT\nTHƯ VIỆN SỐ\nChương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi điều chỉnh\nLuật này quy định về thư viện số của cơ quan nhà nước.`,
      `${header(34)}\nĐiều 2. Giải thích từ ngữ\nThư viện số là thư viện lưu giữ tài liệu dạng số.`,
      `${header(35)}\nĐiều 3. Hiệu lực thi hành\nLuật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2098.`,
    ]);
    const [doc] = await loadFile({ path: 'cong-bao-so-71.pdf', bytes: pdf });
    expect(doc?.meta).toMatchObject({
      id: '12/2098/QH15',
      number: '12/2098/QH15',
      docType: 'Luật',
      issuer: 'QUỐC HỘI',
      title: 'Luật Thư viện số',
    });
    expect(doc!.chunks.some((c) => /CÔNG BÁO/u.test(c.text))).toBe(false);
    expect(doc!.chunks.filter((c) => c.article !== undefined).map((c) => c.article)).toEqual(['1', '2', '3']);
  });

  it('a draft công văn with a blank number is read as unnumbered, with its place, and no date is made up', async () => {
    const text =
      'BỘ CÔNG AN\nCỤC CẢNH SÁT PCCC VÀ CNCH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: \t/PCCC&CNCH-P6\nV/v đề nghị góp ý dự thảo tiêu chuẩn\nHà Nội, ngày tháng năm 2098\nKính gửi: Các đơn vị\nHội đồng thẩm định đã họp ngày 12/6/2098 và đề nghị các đơn vị góp ý bằng văn bản đối với dự thảo tiêu chuẩn về giày chữa cháy.';
    const [doc] = await loadFile({ path: 'cv-xin-y-kien.txt', bytes: Buffer.from(text) });
    expect(doc?.meta).toMatchObject({
      docType: 'Công văn',
      unnumbered: true,
      place: 'Hà Nội',
      title: 'Công văn …/PCCC&CNCH-P6 đề nghị góp ý dự thảo tiêu chuẩn',
    });
    expect(doc?.meta.signedDate).toBeUndefined();
    expect(doc?.meta.number).toBeUndefined();
    expect(doc?.warnings?.join('\n')).toMatch(/văn bản chưa có số/u);
  });

  it('a Word 97 .doc is read, and the same bytes named .docx are read by content with a warning', async () => {
    const bytes = await readFile(join(FIXTURES, 'qd-07-2025-lang-son.doc'));
    const [doc] = await loadFile({ path: 'qd-07.doc', bytes });
    expect(doc?.meta).toMatchObject({
      number: '07/2025/QĐ-UBND',
      docType: 'Quyết định',
      issuer: 'ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
      place: 'Lạng Sơn',
      signedDate: '2025-03-14',
    });
    expect(doc!.chunks.find((c) => c.article === '2')?.text).toMatch(/Người lớn: 20\.000 đồng\/lượt/u);
    const [copy] = await loadFile({ path: 'qd-07-copy.docx', bytes });
    expect(copy?.meta.id).toBe(doc?.meta.id);
    expect(copy?.warnings?.[0]).toMatch(/đuôi “\.docx” nhưng nội dung là Word 97–2003/u);
  });

  it('an RTF document is read: Unicode escapes, code page 1258 bytes and table rows', async () => {
    const [saved] = await loadFile({
      path: 'qd-07.rtf',
      bytes: await readFile(join(FIXTURES, 'qd-07-2025-lang-son.rtf')),
    });
    expect(saved?.meta).toMatchObject({
      number: '07/2025/QĐ-UBND',
      issuer: 'ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
      signedDate: '2025-03-14',
    });
    expect(saved!.chunks.find((c) => c.article === '2')?.text).toMatch(/Người lớn: 20\.000 đồng\/lượt/u);
    const handWritten = String.raw`{\rtf1\ansi\ansicpg1258{\fonttbl{\f0 Times New Roman;}}{\*\generator Tay;}\pard \u272?i\u7873?u 1. M\'fd\'ecc thu\par
\trowd 1\cell L\'ea\'f2 ph\'ed c\'e2\'ecp m\'f5\'eci\cell 50.000 \'f0\'f4\'ccng\cell\row}`;
    const [doc] = await loadFile({ path: 'muc-thu.rtf', bytes: Buffer.from(handWritten, 'latin1') });
    const text = doc!.chunks.map((c) => c.text).join('\n');
    expect(text).toContain('Điều 1. Mức thu');
    expect(text).toContain('1 | Lệ phí cấp mới | 50.000 đồng');
  });

  it("a web server's error page saved as .pdf is refused with a clear reason", async () => {
    const html =
      '<html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2><p>The resource you are looking for might have been removed.</p></body></html>';
    const err = await loadFile({ path: 'TCVN 5739.pdf', bytes: Buffer.from(html) }).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('not_a_document');
    expect((err as AppError).reason).toMatch(/trang báo lỗi của máy chủ web/u);
  });

  it('a DOCX fee table keeps each row on one line', async () => {
    const docx = writeMinimalDocx(
      [
        'ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
        'Số: 09/2098/QĐ-UBND',
        'QUYẾT ĐỊNH',
        'Về mức thu lệ phí',
        'Điều 1. Mức thu',
        'Mức thu như sau:',
      ],
      {
        tables: [
          [
            ['STT', 'Nội dung', 'Mức thu'],
            ['1', 'Cấp mới giấy phép', '50.000 đồng'],
            ['2', 'Cấp lại giấy phép', '25.000 đồng'],
          ],
        ],
      },
    );
    const [doc] = await loadFile({ path: 'qd-09.docx', bytes: docx });
    expect(doc!.chunks.map((c) => c.text).join('\n')).toContain('2 | Cấp lại giấy phép | 25.000 đồng');
  });
});

describe('document identity', () => {
  const decision = (province: string, topic: string) =>
    `ỦY BAN NHÂN DÂN\nTỈNH ${province}\nSố: 01/2024/QĐ-UBND\n${province === 'LẠNG SƠN' ? 'Lạng Sơn' : 'Cao Bằng'}, ngày 10 tháng 01 năm 2024\nQUYẾT ĐỊNH\nVề ${topic}\nĐiều 1. Nội dung\nQuy định ${topic} trên địa bàn tỉnh.\nĐiều 2. Hiệu lực\nQuyết định này có hiệu lực kể từ ngày ký.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH`;

  it("two provinces' decisions both numbered 01/2024/QĐ-UBND are both indexed, each cited for its own content", async () => {
    const folder = join(dir, 'two-provinces');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'lang-son.txt'), decision('LẠNG SƠN', 'giá vé tham quan động Tam Thanh'));
    await writeFile(join(folder, 'cao-bang.txt'), decision('CAO BẰNG', 'giá vé tham quan thác Bản Giốc'));
    const store = new SnapshotStore(join(dir, 'data-two'));
    const report = await reindex(store, { kind: 'lsa' }, { paths: [folder] });
    expect(report.failed).toEqual([]);
    expect(report.documents).toBe(2);
    const retriever = new Retriever((await store.loadCurrent({ kind: 'lsa' }))!);
    const top = async (q: string) => (await retriever.retrieve(q)).results[0]?.doc;
    expect(await top('giá vé tham quan động Tam Thanh')).toMatchObject({
      number: '01/2024/QĐ-UBND',
      issuer: 'ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN',
    });
    expect(await top('giá vé thác Bản Giốc')).toMatchObject({
      number: '01/2024/QĐ-UBND',
      issuer: 'ỦY BAN NHÂN DÂN TỈNH CAO BẰNG',
    });
  });

  it('a decree and its annex stay one document with both texts; the annex is cited as its Phụ lục', async () => {
    const text = `CHÍNH PHỦ\nSố: 55/2098/NĐ-CP\nHà Nội, ngày 21 tháng 7 năm 2098\nNGHỊ ĐỊNH\nSửa đổi mức trợ cấp\nĐiều 1. Mức trợ cấp\nMức trợ cấp thực hiện theo Phụ lục I ban hành kèm theo Nghị định này.\nĐiều 2. Hiệu lực\nNghị định này có hiệu lực từ ngày 05 tháng 9 năm 2098.\nNơi nhận:\n- Các bộ, cơ quan ngang bộ.\nTM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPHỤ LỤC I\nMỨC HƯỞNG TRỢ CẤP HẰNG THÁNG\n(Kèm theo Nghị định số 55/2098/NĐ-CP ngày 21 tháng 7 năm 2098 của Chính phủ)\n1 | Thương binh suy giảm 81% | 5.000.000 đồng\n2 | Thân nhân liệt sĩ | 2.500.000 đồng`;
    const docs = await loadFile({ path: 'nd-55.txt', bytes: Buffer.from(text) });
    expect(docs).toHaveLength(1);
    const annex = docs[0]!.chunks.find((c) => c.text.includes('Thân nhân liệt sĩ'));
    expect(annex).toMatchObject({ docId: '55/2098/NĐ-CP', citation: 'Phụ lục I Nghị định 55/2098/NĐ-CP' });
    expect(docs[0]!.chunks.some((c) => c.article === '1')).toBe(true);
  });

  it('an annex published as its own file is linked to its document and does not take its number', async () => {
    const text = `Phụ lục 1\nDANH MỤC QUY TRÌNH NỘI BỘ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH\n(Kèm theo Quyết định số /QĐ-UBND ngày tháng năm 2098\ncủa Chủ tịch UBND tỉnh Lạng Sơn)\n1. Cấp giấy phép hoạt động thư viện. QT-01\n2. Cấp lại giấy phép hoạt động thư viện. QT-02\n${'Quy trình nội bộ gồm tiếp nhận, thẩm định, phê duyệt và trả kết quả. '.repeat(3)}`;
    const [doc] = await loadFile({ path: 'PL QD 1072 ngay 27-2-2098.txt', bytes: Buffer.from(text) });
    expect(doc?.meta).toMatchObject({ docType: 'Phụ lục', annexOf: 'Quyết định …/QĐ-UBND ngày 27/02/2098' });
    expect(doc?.meta.number).toBeUndefined();
    expect(doc?.meta.title).toMatch(
      /^Phụ lục 1 Quyết định …\/QĐ-UBND ngày 27\/02\/2098: Danh mục quy trình nội bộ/u,
    );
  });

  it('a folder ingest accounts for every file, and the same document in two formats is reported as a duplicate naming both', async () => {
    const folder = join(dir, 'mixed-folder');
    await mkdir(join(folder, '.git'), { recursive: true });
    const doc = await readFile(join(FIXTURES, 'qd-07-2025-lang-son.doc'));
    await writeFile(join(folder, 'qd-07.doc'), doc);
    await writeFile(join(folder, 'qd-07-ban-sao.docx'), doc);
    await writeFile(
      join(folder, 'loi-404.pdf'),
      '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>',
    );
    await writeFile(join(folder, 'bang-tinh.xlsx'), Buffer.from('PK\x05\x06'));
    await writeFile(join(folder, 'README.md'), '# Thư mục văn bản');
    await writeFile(join(folder, '.git', 'HEAD'), 'ref: refs/heads/main');
    const report = await reindex(
      new SnapshotStore(join(dir, 'data-mixed')),
      { kind: 'lsa' },
      { paths: [folder] },
    );
    const name = (p: string) => p.split('/').pop();
    expect(report.added.map(name)).toEqual(['qd-07-ban-sao.docx']);
    expect(report.failed.map((f) => [name(f.path), f.code])).toEqual([
      ['loi-404.pdf', 'not_a_document'],
      ['qd-07.doc', 'duplicate_document'],
    ]);
    expect(report.failed[1]!.reason).toMatch(
      /qd-07\.doc: trùng với văn bản .* đã có trong kho từ tệp .*qd-07-ban-sao\.docx/u,
    );
    expect(report.skipped.map((s) => name(s.path))).toEqual(['.git', 'README.md', 'bang-tinh.xlsx']);
    expect(report.warnings.map((w) => w.message).join('\n')).toMatch(
      /qd-07-ban-sao\.docx: tên tệp có đuôi “\.docx”/u,
    );
  });
});
