import { HTMLElement, parse } from 'node-html-parser';
import { decodeUtf8 } from '../file-text.js';
import { buildLegalDocument } from '../legal/legal-document.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

const DROP = 'script, style, nav, noscript, template, iframe, svg, header nav, footer';

/** True when the bytes start (after a BOM/whitespace/comments) with `<!doctype html` or `<html`. */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 2048))
    .replace(/^\uFEFF/u, '')
    .trimStart();
  return /^(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>])/iu.test(head);
}

const MOTTO = /CỘNG HÒA XÃ HỘI CHỦ NGHĨA|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA/iu;

/**
 * Writes each row of a data table as one line, its cells separated by " | " ("1 | Lệ phí cấp mới |
 * 50.000 đồng"), so a fee or a procedure stays readable with its row. The header table of a legal
 * document (issuer, number, motto, place and date side by side) is a layout and keeps one line per
 * paragraph, as the header reader expects. Innermost tables first.
 */
function tablesAsRows(root: HTMLElement): void {
  const tables = root.querySelectorAll('table').reverse();
  for (const table of tables) {
    if (MOTTO.test(table.text)) continue;
    const rows = table.querySelectorAll('tr').filter((tr) => tr.closest('table') === table);
    const lines = rows
      .map((tr) =>
        tr.childNodes
          .filter(
            (c): c is HTMLElement => c instanceof HTMLElement && (c.tagName === 'TD' || c.tagName === 'TH'),
          )
          .map((cell) => cell.structuredText.replace(/\s+/g, ' ').trim())
          .join(' | ')
          .replace(/^(?:\s*\|\s*)+|(?:\s*\|\s*)+$/g, ''),
      )
      .filter((l) => l.replace(/[|\s]/g, '') !== '');
    const replacement = parse(`<div>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>`);
    table.replaceWith(replacement);
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Visible text of an HTML page with block boundaries kept as line breaks (scripts, styles, navigation dropped). */
export function htmlToText(html: string): { text: string; title?: string } {
  const root = parse(html, {
    blockTextElements: { script: false, style: false, noscript: false, pre: true },
  });
  for (const el of root.querySelectorAll(DROP)) el.remove();
  const title = root.querySelector('title')?.text.trim() || root.querySelector('h1')?.text.trim();
  const body = root.querySelector('body') ?? root;
  for (const br of body.querySelectorAll('br')) br.replaceWith('\n');
  tablesAsRows(body);
  const text = body.structuredText
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return title ? { text, title } : { text };
}

/** Loads an HTML page as a legal text. */
export async function loadHtmlFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  const { text, title } = htmlToText(decodeUtf8(file.path, file.bytes));
  return [
    buildLegalDocument(
      { path: file.path, pages: [text], paged: false, ...(title ? { fallbackTitle: title } : {}) },
      options,
    ),
  ];
}

/** Loader for HTML pages (sniffed by `<!doctype html` / `<html`). */
export const htmlLoader: Loader = {
  id: 'html',
  sniff: (file) => looksLikeHtml(file.bytes),
  load: loadHtmlFile,
};
