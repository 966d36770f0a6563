import { unpagedLegalDocument } from '../legal/legal-document.js';
import type { IngestedDocument, IngestOptions, Loader, SourceFile } from '../types.js';

/** True when the bytes start with the RTF signature `{\rtf`. */
export function isRtf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 6)).toString('latin1').startsWith('{\\rtf');
}

/** Destinations whose text is not part of the document body (fonts, colours, styles, metadata, pictures). */
const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'header',
  'footer',
  'headerl',
  'headerr',
  'footerl',
  'footerr',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'themedata',
  'colorschememapping',
  'latentstyles',
  'datastore',
  'object',
]);

/** Decodes `\'hh` bytes in the document's ANSI code page (Windows-1258 for Vietnamese, else 1252). */
function decoderFor(codePage: number): { decode(bytes: Uint8Array): string } {
  try {
    return new TextDecoder(`windows-${codePage}`);
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/**
 * Plain text of an RTF document, one paragraph a line, table cells separated by " | ": Unicode
 * escapes (`\uN` with `\ucN` fallbacks skipped), `\'hh` bytes in the `\ansicpgN` code page, and the
 * destinations that are not body text (fonts, styles, pictures, headers, `{\*\…}`) dropped.
 */
export function rtfToText(rtf: string): string {
  let out = '';
  const bytes: number[] = [];
  let decoder = decoderFor(1252);
  const flush = () => {
    if (bytes.length > 0) out += decoder.decode(new Uint8Array(bytes.splice(0)));
  };
  const stack: { skip: boolean; uc: number }[] = [];
  let skip = false;
  let uc = 1;
  let pendingSkip = 0;
  const emit = (s: string) => {
    if (skip) return;
    if (pendingSkip > 0) {
      pendingSkip--;
      return;
    }
    flush();
    out += s;
  };
  for (let i = 0; i < rtf.length;) {
    const c = rtf[i]!;
    if (c === '{') {
      stack.push({ skip, uc });
      i++;
      if (rtf.startsWith('\\*', i)) skip = true;
      continue;
    }
    if (c === '}') {
      flush();
      ({ skip, uc } = stack.pop() ?? { skip: false, uc: 1 });
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c !== '\\') {
      emit(c);
      i++;
      continue;
    }
    const next = rtf[i + 1] ?? '';
    if (next === "'") {
      const byte = parseInt(rtf.slice(i + 2, i + 4), 16);
      i += 4;
      if (skip) continue;
      if (pendingSkip > 0) {
        pendingSkip--;
        continue;
      }
      if (!Number.isNaN(byte)) bytes.push(byte);
      continue;
    }
    if (!/[a-z]/i.test(next)) {
      // Control symbols: an escaped brace or backslash, a non-breaking space or hyphen, '\*'.
      if (next === '~') emit(' ');
      else if (next === '{' || next === '}' || next === '\\') emit(next);
      else if (next === '\n' || next === '\r') emit('\n');
      i += 2;
      continue;
    }
    const m = /^\\([a-z]+)(-?\d+)? ?/i.exec(rtf.slice(i, i + 40))!;
    i += m[0].length;
    const word = m[1]!;
    const arg = m[2] === undefined ? undefined : Number(m[2]);
    if (SKIPPED.has(word)) skip = true;
    else if (word === 'ansicpg' && arg !== undefined) decoder = decoderFor(arg);
    else if (word === 'uc' && arg !== undefined) uc = arg;
    else if (word === 'u' && arg !== undefined) {
      emit(String.fromCharCode(arg < 0 ? arg + 65536 : arg));
      if (!skip) pendingSkip = uc;
    } else if (word === 'par' || word === 'line' || word === 'row' || word === 'sect' || word === 'page')
      emit('\n');
    else if (word === 'tab') emit('\t');
    else if (word === 'cell') emit(' | ');
    else if (word === 'emdash') emit('—');
    else if (word === 'endash') emit('–');
    else if (word === 'bullet') emit('•');
    else if (word === 'lquote' || word === 'rquote') emit(word === 'lquote' ? '‘' : '’');
    else if (word === 'ldblquote' || word === 'rdblquote') emit(word === 'ldblquote' ? '“' : '”');
  }
  flush();
  return out
    .split('\n')
    .map((l) => l.replace(/(?:\s*\|\s*)+$/u, '').replace(/[ \t]+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Loads an RTF document (Word's "Rich Text Format") as a legal text. */
export async function loadRtfFile(file: SourceFile, options: IngestOptions): Promise<IngestedDocument[]> {
  const text = rtfToText(Buffer.from(file.bytes).toString('latin1'));
  return [unpagedLegalDocument(file.path, text, 'RTF', options)];
}

/** Loader for RTF files (sniffed by `{\rtf`). */
export const rtfLoader: Loader = {
  id: 'rtf',
  sniff: (file) => isRtf(file.bytes),
  load: loadRtfFile,
};
