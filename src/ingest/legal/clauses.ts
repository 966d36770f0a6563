import { CLAUSE_RE, type Line, nextPointLetter, POINT_RE } from './patterns.js';

/** A Điểm: its letter and its lines (the first starts with "a)"). */
export interface PointNode {
  label: string;
  lines: Line[];
}

/** A Khoản: its number, the lead-in lines before its first Điểm, and its Điểm. */
export interface ClauseNode {
  number: string;
  lead: Line[];
  points: PointNode[];
}

/** The body of a Điều split into intro, Khoản and Điểm (Điểm directly under the Điều when it has no Khoản). */
export interface ArticleBody {
  intro: Line[];
  clauses: ClauseNode[];
  points: PointNode[];
}

/**
 * Splits the body lines of one Điều into Khoản ("1.", "2.", …) and Điểm ("a)", "b)", … "đ)").
 * Numbers must run in sequence, so dates, amounts and stray numbers are not taken for Khoản; a list
 * restarting at "1." inside a Điểm stays in that Điểm.
 */
export function splitArticleBody(lines: Line[]): ArticleBody {
  const body: ArticleBody = { intro: [], clauses: [], points: [] };
  let clause: ClauseNode | null = null;
  let point: PointNode | null = null;
  let nestedNext = 0;
  for (const line of lines) {
    const t = line.text.trim();
    const c = CLAUSE_RE.exec(t);
    const n = c === null ? 0 : Number(c[1]);
    const clauseNext: number = clause === null ? 1 : Number(clause.number) + 1;
    if (c !== null && point !== null && nestedNext > 0 && n === nestedNext && n !== clauseNext) {
      nestedNext++;
      point.lines.push(line);
      continue;
    }
    if (c !== null && point !== null && n === 1 && clauseNext !== 1) {
      nestedNext = 2;
      point.lines.push(line);
      continue;
    }
    if (c !== null && n === clauseNext && (clause !== null || body.points.length === 0)) {
      clause = { number: String(n), lead: [line], points: [] };
      body.clauses.push(clause);
      point = null;
      nestedNext = 0;
      continue;
    }
    const p = POINT_RE.exec(t);
    const siblings = clause === null ? body.points : clause.points;
    const expected: string | null =
      point === null || siblings.length === 0 ? 'a' : nextPointLetter(point.label);
    if (p !== null && p[1] !== undefined && p[1] === expected) {
      const next: PointNode = { label: p[1], lines: [line] };
      point = next;
      siblings.push(next);
      nestedNext = 0;
      continue;
    }
    if (point !== null) point.lines.push(line);
    else if (clause !== null) clause.lead.push(line);
    else body.intro.push(line);
  }
  return body;
}

/** Joins lines' text with newlines, dropping leading/trailing blank lines. */
export function joinLines(lines: Line[]): string {
  return lines
    .map((l) => l.text.trimEnd())
    .join('\n')
    .replace(/^\s*\n|\n\s*$/g, '')
    .trim();
}
