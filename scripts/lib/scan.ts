import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';

const run = promisify(execFile);

/** Renders every page of a PDF to grey PNGs at `dpi` with poppler's pdftoppm (in page order). */
export async function renderPages(pdf: Uint8Array, dpi = 300): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), 'tlcv-scan-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await run('pdftoppm', ['-r', String(dpi), '-gray', '-png', join(dir, 'in.pdf'), join(dir, 'p')]);
    const names = (await readdir(dir)).filter((n) => n.endsWith('.png')).sort();
    return Promise.all(names.map((n) => readFile(join(dir, n))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An image-only PDF (no text layer), one A4 page per PNG: what a scanner produces. */
export function imagePdf(pngs: Buffer[]): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    margin: 0,
    info: { Title: 'Bản quét', Producer: 'tro-ly-cong-vu' },
  });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  for (const png of pngs) {
    doc.addPage();
    doc.image(png, 0, 0, { width: doc.page.width, height: doc.page.height });
  }
  doc.end();
  return done;
}

/** A scanned copy of a text PDF: every page rendered at `dpi` and wrapped as an image-only PDF. */
export async function scannedCopy(pdf: Uint8Array, dpi = 300): Promise<Buffer> {
  return imagePdf(await renderPages(pdf, dpi));
}
