/** Byte-order mark: without it Excel reads a UTF-8 CSV as the local code page and garbles Vietnamese. */
export const UTF8_BOM = '\uFEFF';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, semicolon or line break, quotes
 * doubled. Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, since questions and comments are typed by the public.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/u.test(s)) s = `'${s}`;
  return /[",;\r\n]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
}

/** A whole CSV document: BOM, header row, rows, CRLF line ends (what Excel expects). */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return UTF8_BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
