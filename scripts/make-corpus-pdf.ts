/**
 * Renders the sample legal texts kept as plain text in `scripts/corpus-src/*.txt` to
 * `corpus/legal/<name>.pdf`, so that a fresh install also ingests a PDF (the PDFs are generated,
 * not committed). Skips a PDF that is newer than its source. Run: `npm run corpus:pdf`.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeVietnamesePdf } from './lib/pdf-writer.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIR = join(ROOT, 'scripts', 'corpus-src');
const OUTPUT_DIR = join(ROOT, 'corpus', 'legal');
/** Lines per PDF page (11 pt DejaVu Sans on A4 fits about 46 with the writer's line gap). */
const LINES_PER_PAGE = 44;
/** Characters per wrapped line (A4 text width at 11 pt holds about 80). */
const WRAP_AT = 78;

/** Wraps one paragraph at word boundaries to lines of at most `width` characters. */
export function wrapLine(line: string, width = WRAP_AT): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > width) {
      out.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

/** Splits a text into pages of `perPage` wrapped lines, never starting a page with a blank line. */
export function paginate(text: string, perPage = LINES_PER_PAGE): string[] {
  const lines = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .trimEnd()
    .split('\n')
    .flatMap((l) => wrapLine(l));
  const pages: string[] = [];
  let page: string[] = [];
  for (const line of lines) {
    if (page.length === 0 && line.trim() === '') continue;
    page.push(line);
    if (page.length === perPage) {
      pages.push(page.join('\n'));
      page = [];
    }
  }
  if (page.length > 0) pages.push(page.join('\n'));
  return pages;
}

async function mtimeMs(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch (err: unknown) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
    throw err;
  }
}

/** Title for the PDF info: the line after "LUẬT"/"NGHỊ ĐỊNH"…, else the file name. */
function titleOf(text: string, name: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  const i = lines.findIndex((l) => /^(LUẬT|NGHỊ ĐỊNH|THÔNG TƯ|QUYẾT ĐỊNH|NGHỊ QUYẾT)$/u.test(l));
  const next = i >= 0 ? lines[i + 1] : undefined;
  return next !== undefined && next !== '' ? `${lines[i]} ${next}` : name;
}

async function main(): Promise<void> {
  const sources = (await readdir(SOURCE_DIR)).filter((f) => f.endsWith('.txt')).sort();
  await mkdir(OUTPUT_DIR, { recursive: true });
  const made: string[] = [];
  const fresh: string[] = [];
  for (const file of sources) {
    const src = join(SOURCE_DIR, file);
    const out = join(OUTPUT_DIR, `${basename(file, '.txt')}.pdf`);
    const [srcTime, outTime] = await Promise.all([mtimeMs(src), mtimeMs(out)]);
    if (outTime !== null && srcTime !== null && outTime > srcTime) {
      fresh.push(relative(ROOT, out));
      continue;
    }
    const text = await readFile(src, 'utf8');
    const pages = paginate(text);
    const pdf = await writeVietnamesePdf(pages, { title: titleOf(text, basename(file, '.txt')) });
    await writeFile(out, pdf);
    made.push(`${relative(ROOT, out)} (${pages.length} trang)`);
  }
  const parts = [
    made.length > 0 ? `đã tạo ${made.join(', ')}` : '',
    fresh.length > 0 ? `đã có, bỏ qua ${fresh.join(', ')}` : '',
  ].filter((p) => p !== '');
  console.log(
    `corpus:pdf: ${parts.length > 0 ? parts.join('; ') : 'không có tệp nguồn trong scripts/corpus-src'}`,
  );
}

// Run only when invoked as a script, so tests can import `paginate` without writing files.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error('corpus:pdf: lỗi', err);
    process.exitCode = 1;
  });
}
