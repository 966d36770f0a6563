import type { PaperRow } from '../types.js';

const HEADER = /Tên giấy tờMẫu đơn, tờ khaiSố lượng/gu;
const QUANTITY = /(\d+ bản chính(?:\s*,\s*\d+ bản sao)?|\d+ bản sao)/gu;
const FORM_FILE = /\.(?:docx?|pdf|xlsx?|rar|zip|rtf|odt)$/iu;

/** Separates a glued form file name from the paper's name ("…27/12/2021;Mus08.docx"). */
function splitForm(cell: string): { name: string; form: string } {
  const text = cell.trim();
  if (!FORM_FILE.test(text)) return { name: text, form: '' };
  const cut = Math.max(
    text.lastIndexOf(';'),
    text.lastIndexOf('.', text.search(FORM_FILE) - 1),
    text.lastIndexOf(')'),
  );
  const form = text.slice(cut + 1).trim();
  if (cut < 0 || form.length > 80 || form === '') return { name: text, form: '' };
  return { name: text.slice(0, cut + 1).trim(), form };
}

/**
 * Repairs the flattened "Thành phần hồ sơ" table ("Tên giấy tờMẫu đơn, tờ khaiSố lượng…") into
 * rows; `text` is the cleaned readable version (group notes such as "* Giấy tờ phải nộp:" kept).
 */
export function parsePapers(raw: string): { rows: PaperRow[]; text: string } {
  const source = raw.replace(/^-+/u, '').trim();
  if (!HEADER.test(source)) return { rows: [], text: source };
  HEADER.lastIndex = 0;
  const rows: PaperRow[] = [];
  const lines: string[] = [];
  const groups = source.split(HEADER);
  groups.forEach((group, gi) => {
    let body = group;
    if (gi === 0) {
      if (body.trim() !== '') lines.push(body.trim());
      return;
    }
    let last = 0;
    for (const m of body.matchAll(QUANTITY)) {
      const cell = body.slice(last, m.index ?? 0);
      last = (m.index ?? 0) + m[0].length;
      const { name, form } = splitForm(cell.replace(/^\s*[-+•*]\s*/u, ''));
      if (name === '' && form === '') continue;
      const row: PaperRow = { name, quantity: m[0].replace(/\s*,\s*/u, ', '), form };
      rows.push(row);
      lines.push(`- ${name}${form ? ` (mẫu: ${form})` : ''}: ${row.quantity}`);
    }
    body = body.slice(last).trim();
    if (body !== '') lines.push(body);
  });
  return { rows, text: lines.join('\n') };
}
