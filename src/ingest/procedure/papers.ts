import type { PaperRow } from '../types.js';

const HEADER = /Tên giấy tờMẫu đơn, tờ khaiSố lượng/gu;
const QUANTITY = /(\d+ bản chính(?:\s*,\s*\d+ bản sao)?|\d+ bản sao)/gu;
const FORM_FILE = /\.(?:docx?|pdf|xlsx?|rar|zip|rtf|odt)$/iu;

/** A capitalised word glued to what comes before it, a lower-case letter or a closing bracket ("quy địnhTờ", "chỗ ởTờ", "tờ khai)Tờ"). */
const GLUED_WORD = /(?<=\p{Ll}|\))(?=\p{Lu}\p{Ll})/gu;

/**
 * A form named after its paper, glued after the paper's name by the flattened table ("Tờ khai đăng
 * ký khai sinh theo mẫu quy địnhTờ khai đăng ký khai sinh"): cut at the last glued word when what
 * follows opens with the name's first two words. A brand in one word ("MasterCard") or another
 * paper glued on does not, and stays in the name.
 */
function splitNamedForm(text: string): { name: string; form: string } | null {
  const cuts = [...text.matchAll(GLUED_WORD)].map((m) => m.index);
  const cut = cuts.at(-1);
  if (cut === undefined) return null;
  const name = text.slice(0, cut).trim();
  const form = text.slice(cut).trim();
  const opening = (s: string) => s.split(/\s+/u).slice(0, 2).join(' ').toLowerCase();
  return form.includes(' ') && opening(form) === opening(name) ? { name, form } : null;
}

/** Separates a glued form, a file name ("…27/12/2021;Mus08.docx") or a form named after the paper, from the paper's name. */
function splitForm(cell: string): { name: string; form: string } {
  const text = cell.trim();
  if (!FORM_FILE.test(text)) return splitNamedForm(text) ?? { name: text, form: '' };
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
