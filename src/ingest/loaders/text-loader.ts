import { decodeUtf8 } from '../file-text.js';
import { buildLegalDocument } from '../legal/legal-document.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

/** Strips Markdown heading marks and emphasis so "## **Điều 9.** …" reads as "Điều 9. …". */
export function stripMarkdown(text: string): string {
  return text
    .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gmu, '')
    .replace(/(\*\*|__)(.+?)\1/gu, '$2')
    .replace(/^[ \t]*>[ \t]?/gmu, '');
}

/** Loads a UTF-8 text or Markdown file (BOM stripped) as a legal text. */
export async function loadTextFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  const raw = decodeUtf8(file.path, file.bytes);
  const text = /\.(md|markdown)$/iu.test(file.path) ? stripMarkdown(raw) : raw;
  return [buildLegalDocument({ path: file.path, pages: [text], paged: false }, options)];
}

/** Fallback loader for plain UTF-8 text (.txt, .md). */
export const textLoader: Loader = {
  id: 'text',
  sniff: () => true,
  load: loadTextFile,
};
