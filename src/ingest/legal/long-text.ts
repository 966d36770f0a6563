/** A piece of a longer text and the offset where it starts. */
export interface TextPiece {
  text: string;
  start: number;
}

/** Splits one paragraph longer than `max` at sentence ends, then at spaces. */
function splitParagraph(text: string, start: number, max: number): TextPiece[] {
  const out: TextPiece[] = [];
  let from = 0;
  while (text.length - from > max) {
    const window = text.slice(from, from + max);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('; '), window.lastIndexOf('? '));
    if (cut < max / 3) cut = window.lastIndexOf(' ');
    if (cut < max / 3) cut = max - 1;
    out.push({ text: text.slice(from, from + cut + 1).trim(), start: start + from });
    from += cut + 1;
    while (text[from] === ' ') from++;
  }
  if (from < text.length) out.push({ text: text.slice(from).trim(), start: start + from });
  return out.filter((p) => p.text !== '');
}

/**
 * Fallback chunker for text without legal structure: packs paragraphs (blank-line separated, or
 * lines when there are no blank lines) into pieces of at most `maxChars` (default 1,000) characters.
 */
export function chunkLongText(text: string, maxChars = 1000): TextPiece[] {
  const sep = /\n[ \t]*\n/u.test(text) ? /\n[ \t]*\n+/gu : /\n/gu;
  const paras: TextPiece[] = [];
  let last = 0;
  const push = (end: number): void => {
    const raw = text.slice(last, end);
    const lead = raw.length - raw.trimStart().length;
    if (raw.trim() !== '') paras.push({ text: raw.trim(), start: last + lead });
  };
  for (const m of text.matchAll(sep)) {
    push(m.index ?? 0);
    last = (m.index ?? 0) + m[0].length;
  }
  push(text.length);
  const out: TextPiece[] = [];
  let cur: TextPiece | null = null;
  for (const p of paras.flatMap((q) =>
    q.text.length > maxChars ? splitParagraph(q.text, q.start, maxChars) : [q],
  )) {
    if (cur !== null && cur.text.length + 2 + p.text.length <= maxChars) {
      cur.text += `\n\n${p.text}`;
    } else {
      if (cur !== null) out.push(cur);
      cur = { ...p };
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}
