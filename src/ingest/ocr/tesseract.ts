import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../errors.js';

/**
 * Optical character recognition with Debian's `tesseract-ocr` (+ `tesseract-ocr-vie`) and
 * poppler's `pdftoppm`: a page is rendered to a grey PNG, recognised, and its words' confidences
 * kept. Nothing is downloaded; without the programs, scanned files fail with a clear reason.
 */
export interface OcrSettings {
  /** false: never OCR (scanned files are refused as before). */
  enabled: boolean;
  /** Program names or paths. */
  tesseract: string;
  pdftoppm: string;
  /** Tesseract language(s), e.g. "vie" or "vie+eng". */
  lang: string;
  /** Render resolution for PDF pages. */
  dpi: number;
  /** Pages recognised at once (each tesseract process is kept to one thread). */
  workers: number;
  /** Pages whose mean word confidence (0–100) is below this are listed as doubtful. */
  minConfidence: number;
  /** Time allowed for one page (render + recognition). */
  pageTimeoutMs: number;
  /**
   * Folder where recognised pages are kept by file content, language and resolution, so a file
   * checked at upload and then indexed, or indexed again, is recognised once. None: no cache.
   */
  cacheDir?: string;
}

export const DEFAULT_OCR_SETTINGS: OcrSettings = {
  enabled: true,
  tesseract: 'tesseract',
  pdftoppm: 'pdftoppm',
  lang: 'vie',
  dpi: 300,
  workers: Math.max(1, Math.min(2, availableParallelism())),
  minConfidence: 70,
  pageTimeoutMs: 120_000,
};

/** The text of one recognised page and its mean word confidence (0–100). */
export interface OcrPage {
  /** 1-based page number. */
  page: number;
  text: string;
  confidence: number;
}

/** Progress of OCR: pages done of pages to recognise. */
export type OcrProgress = (done: number, total: number) => void;

/** The child's environment: the server's own (PATH, locale), with tesseract kept to one thread per page. */
// eslint-disable-next-line no-restricted-properties -- passed through to the child, not read as configuration
const CHILD_ENV = { ...process.env, OMP_THREAD_LIMIT: '1' };

function run(cmd: string, args: string[], timeoutMs: number, maxBuffer = 64 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { timeout: timeoutMs, maxBuffer, env: CHILD_ENV, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) reject(Object.assign(err, { stderr }));
        else resolve(stdout);
      },
    );
  });
}

const availability = new Map<string, Promise<string | null>>();

/**
 * Null when OCR can run with these settings, else why not (in Vietnamese, for the administrator):
 * disabled, a program missing, or the language data not installed. Checked once per setting.
 */
export function ocrUnavailable(settings: OcrSettings): Promise<string | null> {
  if (!settings.enabled) return Promise.resolve('chức năng nhận dạng chữ (OCR) đang tắt (OCR_ENABLED=false)');
  const key = `${settings.tesseract}|${settings.pdftoppm}|${settings.lang}`;
  let known = availability.get(key);
  if (known === undefined) {
    known = (async () => {
      let langs: string;
      try {
        langs = await run(settings.tesseract, ['--list-langs'], 10_000);
      } catch {
        return `máy chủ chưa cài chương trình nhận dạng chữ tesseract (gói tesseract-ocr, tesseract-ocr-vie)`;
      }
      const have = new Set(langs.split(/\s+/));
      const missing = settings.lang.split('+').filter((l) => !have.has(l));
      if (missing.length > 0)
        return `tesseract chưa có dữ liệu ngôn ngữ ${missing.join(', ')} (gói tesseract-ocr-${missing[0]})`;
      try {
        await run(settings.pdftoppm, ['-v'], 10_000);
      } catch (err) {
        // pdftoppm -v exits 0 on poppler ≥ 22 and 99 on older ones; only a missing program counts.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          return 'máy chủ chưa cài pdftoppm (gói poppler-utils) để chuyển trang PDF thành ảnh';
      }
      return null;
    })();
    availability.set(key, known);
  }
  return known;
}

/** Parses tesseract's TSV output into lines of text and a character-weighted mean word confidence. */
export function parseTesseractTsv(tsv: string): { text: string; confidence: number } {
  const lines = new Map<string, string[]>();
  const order: string[] = [];
  let weighted = 0;
  let chars = 0;
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const word = (cols[11] ?? '').trim();
    const conf = Number(cols[10]);
    if (word === '' || !Number.isFinite(conf) || conf < 0) continue;
    const key = `${cols[2]}.${cols[3]}.${cols[4]}`;
    let words = lines.get(key);
    if (words === undefined) {
      words = [];
      lines.set(key, words);
      order.push(key);
    }
    words.push(word);
    weighted += conf * word.length;
    chars += word.length;
  }
  return {
    text: order.map((k) => (lines.get(k) ?? []).join(' ')).join('\n'),
    confidence: chars > 0 ? weighted / chars : 0,
  };
}

async function recognise(
  image: string,
  settings: OcrSettings,
): Promise<{ text: string; confidence: number }> {
  const tsv = await run(
    settings.tesseract,
    [image, 'stdout', '-l', settings.lang, '--psm', '3', 'tsv'],
    settings.pageTimeoutMs,
  );
  return parseTesseractTsv(tsv);
}

/** Runs `task` over `items` with at most `limit` at once, reporting each one done; results in input order. */
async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Runs `work` in a fresh temporary folder, removed afterwards whatever happens. */
async function inTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'tlcv-ocr-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function ocrFailed(path: string, cause: unknown, page?: number): AppError {
  const e = cause as { killed?: boolean; stderr?: string; message?: string };
  const where = page !== undefined ? ` page ${page}` : '';
  const why = e.killed ? 'timed out' : (e.stderr?.trim().split('\n').pop() ?? e.message ?? String(cause));
  return new AppError('ocr_failed', `${path}:${where} OCR failed (${why})`, {
    cause,
    source: path,
    reason: `${path}: không nhận dạng được chữ${page !== undefined ? ` ở trang ${page}` : ''} (${e.killed ? 'quá thời gian cho phép' : 'lỗi chương trình OCR'}).`,
  });
}

type CachedPages = Record<string, { text: string; confidence: number }>;

function cacheFile(bytes: Uint8Array, settings: OcrSettings): string | null {
  if (settings.cacheDir === undefined) return null;
  const key = createHash('sha256').update(bytes).update(`|${settings.lang}|${settings.dpi}`).digest('hex');
  return join(settings.cacheDir, `${key}.json`);
}

async function readCache(file: string | null): Promise<CachedPages> {
  if (file === null) return {};
  try {
    return JSON.parse(await readFile(file, 'utf8')) as CachedPages;
  } catch {
    return {};
  }
}

async function writeCache(file: string | null, pages: CachedPages): Promise<void> {
  if (file === null) return;
  try {
    await mkdir(join(file, '..'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(pages));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written only costs a second recognition.
  }
}

/** Renders pages to grey PNGs with pdftoppm and recognises them, at most `settings.workers` at once. */
function renderAndRecognise(
  path: string,
  bytes: Uint8Array,
  pages: number[],
  settings: OcrSettings,
  onDone: (done: number) => void,
): Promise<OcrPage[]> {
  return inTempDir(async (dir) => {
    const pdf = join(dir, 'in.pdf');
    await writeFile(pdf, bytes);
    return pool(
      pages,
      settings.workers,
      async (page) => {
        const stem = join(dir, `p${page}`);
        try {
          await run(
            settings.pdftoppm,
            [
              '-r',
              String(settings.dpi),
              '-f',
              String(page),
              '-l',
              String(page),
              '-singlefile',
              '-gray',
              '-png',
              pdf,
              stem,
            ],
            settings.pageTimeoutMs,
          );
          const result = await recognise(`${stem}.png`, settings);
          await rm(`${stem}.png`, { force: true });
          return { page, ...result };
        } catch (cause) {
          throw ocrFailed(path, cause, page);
        }
      },
      onDone,
    );
  });
}

/** Renders the given 1-based pages of a PDF and recognises them in a bounded pool (pages in the cache are not recognised again). */
export async function ocrPdfPages(
  path: string,
  bytes: Uint8Array,
  pages: number[],
  settings: OcrSettings,
  onProgress?: OcrProgress,
): Promise<OcrPage[]> {
  const cacheAt = cacheFile(bytes, settings);
  const cached = await readCache(cacheAt);
  const todo = pages.filter((p) => cached[p] === undefined);
  onProgress?.(pages.length - todo.length, pages.length);
  if (todo.length > 0) {
    const fresh = await renderAndRecognise(path, bytes, todo, settings, (done) =>
      onProgress?.(pages.length - todo.length + done, pages.length),
    );
    for (const r of fresh) cached[r.page] = { text: r.text, confidence: r.confidence };
    await writeCache(cacheAt, cached);
  }
  return pages.map((page) => ({ page, ...cached[page]! }));
}

/** Recognises one image file (PNG, JPEG, TIFF; a multi-page TIFF gives one text). */
export async function ocrImage(path: string, bytes: Uint8Array, settings: OcrSettings): Promise<OcrPage> {
  const cacheAt = cacheFile(bytes, settings);
  const cached = (await readCache(cacheAt))[1];
  if (cached !== undefined) return { page: 1, ...cached };
  return inTempDir(async (dir) => {
    const image = join(dir, 'image');
    await writeFile(image, bytes);
    try {
      const page = { page: 1, ...(await recognise(image, settings)) };
      await writeCache(cacheAt, { 1: { text: page.text, confidence: page.confidence } });
      return page;
    } catch (cause) {
      throw ocrFailed(path, cause);
    }
  });
}
