const HEADER = 'Tên văn bản pháp lýMã văn bản';
// Only National Assembly issuers carry digits ("QH13", "UBTVQH14"), so "QH1354/2014/QH13" and
// "NĐ-CP121/2021/NĐ-CP" split; a capital followed by lower case starts the next row's name.
const SEG = '(?:[A-ZĐ]*QH\\d{0,2}|[A-ZĐ]+)(?!\\p{Ll})';
const NUMBER_BODY = `(?:(?:Luật |Nghị định |Thông tư )?[Ss]ố\\s*)?\\d{1,4}(?:\\.\\d{1,2})?(?:/\\d{4})?[/-]${SEG}(?:[-/]${SEG})*`;
const NUMBER = new RegExp(`(?:(?<=(?:19|20)\\d\\d)|(?<=QH\\d\\d)|(?<!\\d))${NUMBER_BODY}`, 'gu');

/** Bare number of a "Số 73/2025/TT-NHNN" / "Luật số 32/2024/QH15" cell. */
function bareNumber(cell: string): string {
  return cell.replace(/^(?:(?:Luật |Nghị định |Thông tư )?[Ss]ố\s*)/u, '').trim();
}

/**
 * Repairs the flattened legal-basis table (name, number) into "name – number" lines. A row ends
 * where a document number is glued to the next cell (or at the end of the text).
 */
export function parseLegalBasis(raw: string): string {
  const text = raw.trim();
  if (!text.startsWith(HEADER)) return text;
  const body = text.slice(HEADER.length);
  const lines: string[] = [];
  let pending = '';
  let last = 0;
  const flush = (): void => {
    if (pending !== '') lines.push(pending);
    pending = '';
  };
  for (const m of body.matchAll(NUMBER)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    const next = body[end];
    if (next !== undefined && /[\s,;.)]/u.test(next)) continue;
    const prefix = body.slice(last, start);
    last = end;
    if (prefix.trim() === '') {
      // A number cell on its own: the number of the name cell before it.
      if (pending !== '') {
        const num = bareNumber(m[0]);
        lines.push(pending.includes(num) ? pending : `${pending} – ${num}`);
        pending = '';
      } else pending = m[0].trim();
    } else if (/\s$/u.test(prefix)) {
      flush();
      pending = (prefix + m[0]).replace(/\s+/g, ' ').trim();
    } else {
      flush();
      lines.push(`${prefix.replace(/\s+/g, ' ').trim()} – ${bareNumber(m[0])}`);
    }
  }
  flush();
  const tail = body.slice(last).replace(/\s+/g, ' ').trim();
  if (tail !== '') lines.push(tail);
  return lines.join('\n');
}
