import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';

/** Options of `writeVietnamesePdf`. */
export interface VietnamesePdfOptions {
  /** Document info title. */
  title?: string;
  /** Encrypts the PDF with this user password (pdfkit's RC4/AES security handler). */
  userPassword?: string;
  /** Blank pages appended after the text pages (no text layer, like a scanned document). */
  blankPages?: number;
}

/** Path of DejaVuSans.ttf from the `dejavu-fonts-ttf` package (has every Vietnamese glyph). */
export function dejaVuSansPath(): string {
  const pkg = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json');
  return join(dirname(pkg), 'ttf', 'DejaVuSans.ttf');
}

/** Writes a PDF with one page per string (text wraps; 11 pt DejaVu Sans), for fixtures and the sample corpus. */
export async function writeVietnamesePdf(
  pages: string[],
  options: VietnamesePdfOptions = {},
): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: 'A4',
    margin: 56,
    info: { Title: options.title ?? 'Văn bản', Producer: 'tro-ly-cong-vu' },
    ...(options.userPassword !== undefined
      ? {
          userPassword: options.userPassword,
          ownerPassword: `${options.userPassword}-owner`,
          pdfVersion: '1.7' as const,
        }
      : {}),
  });
  const parts: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (b: Buffer) => parts.push(b));
    doc.on('end', () => resolve(Buffer.concat(parts)));
    doc.on('error', reject);
  });
  doc.registerFont('DejaVu', dejaVuSansPath());
  for (const text of pages) {
    doc.addPage();
    doc.font('DejaVu').fontSize(11).text(text, { align: 'left', lineGap: 2 });
  }
  for (let i = 0; i < (options.blankPages ?? 0); i++) doc.addPage();
  doc.end();
  return done;
}
