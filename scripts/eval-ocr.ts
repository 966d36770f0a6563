/**
 * npm run eval:ocr [-- --pages 6] [--shared <legal-files dir>] [--dpi 300] [--workers 2]
 *
 * OCR quality and speed measured, not assumed: text pages are rendered to images, wrapped as
 * image-only PDFs and read back by the OCR the ingest uses; the character error rate (edit distance
 * over the reference length, whitespace collapsed) is taken against the text layer.
 *  - generated: pages of the bundled corpus's Markdown texts, printed with DejaVu Sans;
 *  - shared: pages 2–3 of the text PDFs in `../shared/datasets/legal-files` (a Word export and two
 *    Công báo issues), when the folder is there.
 * Ends with one line of JSON.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanOcrText } from '../src/ingest/legal/layout.js';
import { extractPdfPages } from '../src/ingest/loaders/pdf-loader.js';
import { DEFAULT_OCR_SETTINGS, ocrPdfPages, ocrUnavailable } from '../src/ingest/ocr/tesseract.js';
import { parseArgs } from './lib/args.js';
import { writeVietnamesePdf } from './lib/pdf-writer.js';
import { imagePdf, renderPages } from './lib/scan.js';

/** Levenshtein distance between two strings (two rows). */
export function editDistance(a: string, b: string): number {
  let prev = new Uint32Array(b.length + 1).map((_, j) => j);
  let cur = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/gu, ' ').trim();

interface PageResult {
  set: string;
  page: string;
  chars: number;
  cer: number;
  confidence: number;
}

/** Page-sized pieces (about 1,800 characters, cut at line ends) of the bundled Markdown texts. */
async function generatedPages(count: number): Promise<string[]> {
  const dir = join(import.meta.dirname, '../corpus/legal');
  const pages: string[] = [];
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.md')).sort()) {
    const lines = (await readFile(join(dir, name), 'utf8'))
      .replace(/^#+\s*/gmu, '')
      .replace(/\*\*/g, '')
      .split('\n');
    let page = '';
    for (const line of lines) {
      if (page.length + line.length > 1800) {
        pages.push(page.trim());
        page = '';
        if (pages.length >= count) return pages;
      }
      page += `${line}\n`;
    }
  }
  return pages;
}

async function measure(
  set: string,
  label: (i: number) => string,
  textPdf: Uint8Array,
  pageNumbers: number[],
  dpi: number,
  workers: number,
) {
  const reference = await extractPdfPages(set, textPdf);
  const images = await renderPages(textPdf, dpi);
  const scan = await imagePdf(pageNumbers.map((p) => images[p - 1]!));
  const started = performance.now();
  const read = await ocrPdfPages(
    set,
    scan,
    pageNumbers.map((_, i) => i + 1),
    { ...DEFAULT_OCR_SETTINGS, dpi, workers },
  );
  const seconds = (performance.now() - started) / 1000;
  const results: PageResult[] = read.map((r, i) => {
    const ref = norm(reference[pageNumbers[i]! - 1] ?? '');
    const got = norm(cleanOcrText(r.text));
    return {
      set,
      page: label(pageNumbers[i]!),
      chars: ref.length,
      cer: editDistance(got, ref) / Math.max(1, ref.length),
      confidence: r.confidence,
    };
  });
  return { results, seconds };
}

async function main(): Promise<void> {
  const { flags } = parseArgs(process.argv.slice(2), ['pages', 'shared', 'dpi', 'workers']);
  const why = await ocrUnavailable(DEFAULT_OCR_SETTINGS);
  if (why !== null) throw new Error(`OCR cannot run: ${why}`);
  const count = Number(flags.get('pages') ?? 6);
  const dpi = Number(flags.get('dpi') ?? 300);
  const workers = Number(flags.get('workers') ?? DEFAULT_OCR_SETTINGS.workers);
  const sharedDir =
    typeof flags.get('shared') === 'string'
      ? (flags.get('shared') as string)
      : join(import.meta.dirname, '../../shared/datasets/legal-files');
  const all: PageResult[] = [];
  let seconds = 0;
  let pages = 0;

  const texts = await generatedPages(count);
  const generated = await measure(
    'generated',
    (p) => `corpus page ${p}`,
    await writeVietnamesePdf(texts),
    texts.map((_, i) => i + 1),
    dpi,
    workers,
  );
  all.push(...generated.results);
  seconds += generated.seconds;
  pages += texts.length;

  const sharedFiles = [
    'Luat Xu ly vi pham hanh chinh 2012.pdf',
    'cong-bao-luat-can-cuoc.pdf',
    'nghi-dinh-so-158-2025-nd-cp-45240.pdf',
  ];
  for (const name of sharedFiles) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(join(sharedDir, name)));
    } catch {
      continue;
    }
    const r = await measure(`shared: ${name}`, (p) => `page ${p}`, bytes, [2, 3], dpi, workers);
    all.push(...r.results);
    seconds += r.seconds;
    pages += 2;
  }

  console.log('| set | page | characters | CER | mean word confidence |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const r of all)
    console.log(
      `| ${r.set} | ${r.page} | ${r.chars} | ${(r.cer * 100).toFixed(2)} % | ${r.confidence.toFixed(1)} |`,
    );
  const sets = [...new Set(all.map((r) => (r.set.startsWith('shared') ? 'shared' : 'generated')))];
  const summary: Record<string, unknown> = {
    dpi,
    workers,
    pages,
    secondsPerPage: Number((seconds / pages).toFixed(2)),
  };
  for (const s of sets) {
    const rs = all.filter((r) => (r.set.startsWith('shared') ? 'shared' : 'generated') === s);
    const chars = rs.reduce((n, r) => n + r.chars, 0);
    summary[`cer_${s}`] = Number((rs.reduce((n, r) => n + r.cer * r.chars, 0) / chars).toFixed(4));
  }
  console.log(
    `\n${pages} pages at ${dpi} dpi, ${workers} worker(s): ${(seconds / pages).toFixed(2)} s per page (render + recognition, wall clock)`,
  );
  console.log(JSON.stringify(summary));
}

main().catch((err: unknown) => {
  console.error(`eval:ocr failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
