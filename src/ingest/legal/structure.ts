import { type ArticleBody, splitArticleBody } from './clauses.js';
import {
  ARTICLE_LOOSE_RE,
  ARTICLE_RE,
  CHAPTER_RE,
  cleanHeading,
  isUpperTitle,
  type Line,
  PART_RE,
  SECTION_RE,
  splitLines,
  SUBSECTION_RE,
} from './patterns.js';

/** Where an article sits: the headings above it ("Chương II. ĐĂNG KÝ KHAI SINH"). */
export interface ArticleContext {
  part?: string;
  chapter?: string;
  section?: string;
  subsection?: string;
}

/** One Điều with its heading, context and parsed body. */
export interface ArticleNode extends ArticleBody {
  number: string;
  title: string;
  heading: Line;
  context: ArticleContext;
  /** 0 for the main text; 1, 2, … when numbering restarts at Điều 1 (e.g. a regulation attached to a decision). */
  scope: number;
}

/** A legal text as a tree: the preamble before the first Điều, then the Điều in order. */
export interface LegalTree {
  preamble: Line[];
  articles: ArticleNode[];
  /** Signature block and recipients after the last Điều ("TM. CHÍNH PHỦ", "Nơi nhận:"). */
  closing: Line[];
}

const CLOSING_RE = /^(Nơi nhận\s*:|TM\.\s|KT\.\s|TL\.\s|TUQ\.\s)/u;

type Level = keyof ArticleContext;
const LEVELS: { key: Level; re: RegExp; word: string; clears: Level[] }[] = [
  { key: 'part', re: PART_RE, word: 'Phần', clears: ['chapter', 'section', 'subsection'] },
  { key: 'chapter', re: CHAPTER_RE, word: 'Chương', clears: ['section', 'subsection'] },
  { key: 'subsection', re: SUBSECTION_RE, word: 'Tiểu mục', clears: [] },
  { key: 'section', re: SECTION_RE, word: 'Mục', clears: ['subsection'] },
];

function endsSentence(prev: string): boolean {
  return prev.trim() === '' || /[.:;!?"”)\]]$/u.test(prev.trim()) || isUpperTitle(prev);
}

/** Number of an article heading at this line, or null when the line is not one (mid-sentence "Điều 9 Luật này"). */
function articleAt(lines: Line[], i: number, lastNumber: number): { number: string; title: string } | null {
  const t = (lines[i]?.text ?? '').trim();
  let m = ARTICLE_RE.exec(t);
  if (m === null) {
    const loose = ARTICLE_LOOSE_RE.exec(t);
    if (loose === null || !endsSentence(lines[i - 1]?.text ?? '') || (loose[2] ?? '').length > 200)
      return null;
    m = loose;
  }
  const n = parseInt(m[1] ?? '', 10);
  if (lastNumber > 0 && n <= lastNumber && n !== 1) return null;
  if (lastNumber > 0 && n > lastNumber + 50) return null;
  return { number: m[1] ?? '', title: cleanHeading(m[2] ?? '') };
}

/** A Phần/Chương/Mục heading with its title; the title may be on the next line in capitals. */
function headingAt(
  lines: Line[],
  i: number,
): { key: Level; label: string; consumed: number; clears: Level[] } | null {
  const t = (lines[i]?.text ?? '').trim();
  for (const level of LEVELS) {
    const m = level.re.exec(t);
    if (m === null) continue;
    let title = cleanHeading(m[3] ?? '');
    let consumed = 1;
    const next = (lines[i + 1]?.text ?? '').trim();
    if (title === '' && next !== '' && isUpperTitle(next) && !ARTICLE_RE.test(next)) {
      title = cleanHeading(next);
      consumed = 2;
    }
    // "Mục 2 của Nghị định này" in running text is not a heading: a title is in capitals or short and capitalised.
    if (
      title !== '' &&
      !isUpperTitle(title) &&
      (!/^\p{Lu}/u.test(title) || title.length > 150 || /[,;]$/u.test(title))
    )
      return null;
    const num = (m[2] ?? '').toLowerCase().startsWith('thứ') ? (m[2] ?? '').toLowerCase() : (m[2] ?? '');
    return {
      key: level.key,
      label: `${level.word} ${num}${title !== '' ? `. ${title}` : ''}`,
      consumed,
      clears: level.clears,
    };
  }
  return null;
}

/** Parses a legal text into its Phần › Chương › Mục › Tiểu mục › Điều › Khoản › Điểm tree. */
export function parseLegalStructure(text: string): LegalTree {
  const lines = splitLines(text);
  const tree: LegalTree = { preamble: [], articles: [], closing: [] };
  const context: ArticleContext = {};
  let current: { node: Omit<ArticleNode, keyof ArticleBody>; body: Line[] } | null = null;
  let last = 0;
  let scope = 0;
  const close = (): void => {
    if (current !== null) tree.articles.push({ ...current.node, ...splitArticleBody(current.body) });
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (last > 0 && CLOSING_RE.test(line.text.trim())) {
      close();
      tree.closing = lines.slice(i);
      break;
    }
    const heading = headingAt(lines, i);
    if (heading !== null) {
      close();
      context[heading.key] = heading.label;
      for (const k of heading.clears) delete context[k];
      i += heading.consumed - 1;
      continue;
    }
    const art = articleAt(lines, i, last);
    if (art !== null) {
      close();
      const n = parseInt(art.number, 10);
      if (last > 0 && n === 1) scope++;
      last = n;
      const label = `Điều ${art.number}.${art.title !== '' ? ` ${art.title}` : ''}`;
      current = {
        node: {
          number: art.number,
          title: art.title,
          heading: { text: label, start: line.start },
          context: { ...context },
          scope,
        },
        body: [],
      };
      continue;
    }
    if (current === null) tree.preamble.push(line);
    else (current as { body: Line[] }).body.push(line);
  }
  close();
  return tree;
}
