import { chunkHash } from '../hash.js';
import type { Chunk } from '../types.js';
import { type ClauseNode, joinLines, type PointNode } from './clauses.js';
import { chunkLongText } from './long-text.js';
import { ANNEX_RE, type Line } from './patterns.js';
import type { ArticleNode, LegalTree } from './structure.js';

/** Characters above which a Điều is split by Khoản, and a Khoản by Điểm. */
export const LEGAL_CHUNK_LIMIT = 1200;

/** How chunks of one legal document are named and placed. */
export interface LegalChunkContext {
  docId: string;
  /** Used in citations after the Điều: "Nghị định 123/2015/NĐ-CP", "Luật Hộ tịch". */
  docLabel: string;
  /** Document title, the first part of each chunk heading. */
  docTitle: string;
  /** First breadcrumb element: the number, else the title. */
  crumb: string;
  pageOf(offset: number): number | undefined;
  /** Whether a page's text was read by OCR from a scan. */
  isScanned?(page: number): boolean;
}

interface Place {
  path: string;
  clause?: string;
  point?: string;
  start: number;
  text: string;
}

/** "Điểm a khoản 1 Điều 62 Nghị định 34/2016/NĐ-CP" (Vietnamese order, lower-case "khoản" after a Điểm). */
export function legalCitation(docLabel: string, article?: string, clause?: string, point?: string): string {
  const parts: string[] = [];
  if (point !== undefined) parts.push(`Điểm ${point}`);
  if (clause !== undefined) parts.push(point !== undefined ? `khoản ${clause}` : `Khoản ${clause}`);
  if (article !== undefined) parts.push(`Điều ${article}`);
  parts.push(docLabel);
  return parts.join(' ');
}

/** The lead-in sentence repeated in each Điểm piece: the whole lead if short, else its last sentence. */
function leadIn(lead: string): string {
  if (lead.length <= 400) return lead;
  const sentences = lead.split(/(?<=[.;:])\s+/u);
  return (sentences[sentences.length - 1] ?? '').slice(-400);
}

function pointPlaces(base: string, lead: Line[], points: PointNode[], clause?: string): Place[] {
  const leadText = joinLines(lead);
  const repeated = leadIn(leadText);
  const out: Place[] = [];
  if (leadText !== '' && repeated !== leadText) {
    out.push({ path: base, start: lead[0]?.start ?? 0, text: leadText, ...(clause ? { clause } : {}) });
  }
  for (const p of points) {
    const own = joinLines(p.lines);
    out.push({
      path: `${base}.${p.label}`,
      start: p.lines[0]?.start ?? 0,
      text: repeated !== '' ? `${repeated}\n${own}` : own,
      point: p.label,
      ...(clause ? { clause } : {}),
    });
  }
  return out;
}

/** Pieces that are still over twice the limit (no Khoản/Điểm to split on) are cut by paragraphs. */
function splitOversize(places: Place[]): Place[] {
  return places.flatMap((pl) => {
    if (pl.text.length <= LEGAL_CHUNK_LIMIT * 2) return [pl];
    return chunkLongText(pl.text, LEGAL_CHUNK_LIMIT).map((piece, i) => ({
      ...pl,
      path: `${pl.path}.p${i + 1}`,
      text: piece.text,
      start: pl.start + piece.start,
    }));
  });
}

function clausePlaces(base: string, c: ClauseNode): Place[] {
  const all = [...c.lead, ...c.points.flatMap((p) => p.lines)];
  const text = joinLines(all);
  const path = `${base}.k${c.number}`;
  if (text.length <= LEGAL_CHUNK_LIMIT || c.points.length === 0) {
    return [{ path, clause: c.number, start: all[0]?.start ?? 0, text }];
  }
  return pointPlaces(path, c.lead, c.points, c.number);
}

function articlePlaces(a: ArticleNode, base: string): Place[] {
  const bodyLines = [
    ...a.intro,
    ...a.clauses.flatMap((c) => [...c.lead, ...c.points.flatMap((p) => p.lines)]),
    ...a.points.flatMap((p) => p.lines),
  ];
  const whole = [a.heading.text, joinLines(bodyLines)].filter((s) => s !== '').join('\n');
  if (whole.length <= LEGAL_CHUNK_LIMIT || (a.clauses.length === 0 && a.points.length === 0)) {
    return [{ path: base, start: a.heading.start, text: whole }];
  }
  if (a.clauses.length === 0) return pointPlaces(base, [a.heading, ...a.intro], a.points);
  const intro = joinLines(a.intro);
  const out: Place[] =
    intro === '' ? [] : [{ path: base, start: a.heading.start, text: `${a.heading.text}\n${intro}` }];
  return [...out, ...a.clauses.flatMap((c) => clausePlaces(base, c))];
}

/** The closing lines split at annex headings: the signature block (label null), then each annex with its label. */
function annexParts(lines: Line[]): { label: string | null; index: number; lines: Line[] }[] {
  const parts: { label: string | null; index: number; lines: Line[] }[] = [
    { label: null, index: 0, lines: [] },
  ];
  for (const line of lines) {
    const m = ANNEX_RE.exec(line.text.trim());
    if (m !== null && line.text.trim().length < 120)
      parts.push({ label: m[1] ?? '', index: parts.length, lines: [] });
    parts[parts.length - 1]!.lines.push(line);
  }
  return parts;
}

/** Chunks a parsed legal text (DESIGN §5): preamble, then one chunk per Điều, split by Khoản and Điểm when long. */
export function chunkLegalTree(tree: LegalTree, ctx: LegalChunkContext): Chunk[] {
  const chunks: Chunk[] = [];
  const push = (
    pl: Place,
    heading: string,
    breadcrumb: string[],
    extra: Partial<Chunk>,
    article?: string,
    citation?: string,
  ): void => {
    const page = ctx.pageOf(pl.start);
    chunks.push({
      id: `${ctx.docId}#${pl.path}`,
      docId: ctx.docId,
      ordinal: chunks.length,
      text: pl.text,
      heading,
      breadcrumb: [
        ...breadcrumb,
        ...(pl.clause ? [`Khoản ${pl.clause}`] : []),
        ...(pl.point ? [`Điểm ${pl.point}`] : []),
      ],
      citation:
        citation ??
        (article === undefined ? ctx.docLabel : legalCitation(ctx.docLabel, article, pl.clause, pl.point)),
      contentHash: chunkHash(heading, pl.text),
      ...(page !== undefined ? { page } : {}),
      ...(page !== undefined && ctx.isScanned?.(page) ? { scanned: true } : {}),
      ...extra,
      ...(pl.clause ? { clause: pl.clause } : {}),
      ...(pl.point ? { point: pl.point } : {}),
    });
  };
  const preamble = joinLines(tree.preamble);
  if (preamble !== '') {
    const start = tree.preamble.find((l) => l.text.trim() !== '')?.start ?? 0;
    for (const pl of splitOversize([{ path: 'preamble', start, text: preamble }]))
      push(pl, ctx.docTitle, [ctx.crumb], {});
  }
  for (const a of tree.articles) {
    const base = `${a.scope > 0 ? `s${a.scope}.` : ''}d${a.number}`;
    const c = a.context;
    const crumbs = [ctx.crumb, c.part, c.chapter, c.section, c.subsection, a.heading.text].filter(
      (s): s is string => s !== undefined,
    );
    const extra: Partial<Chunk> = {
      article: a.number,
      ...(c.part ? { part: c.part } : {}),
      ...(c.chapter ? { chapter: c.chapter } : {}),
      ...(c.section ? { section: c.section } : {}),
    };
    for (const pl of splitOversize(articlePlaces(a, base)))
      push(pl, `${ctx.docTitle} · ${a.heading.text}`, crumbs, extra, a.number);
  }
  // The signature block, then each annex printed after it ("PHỤ LỤC I … (Kèm theo Nghị định số …)"):
  // an annex stays part of its document and is cited as "Phụ lục I Nghị định …".
  for (const part of annexParts(tree.closing)) {
    const text = joinLines(part.lines);
    if (text === '') continue;
    const start = part.lines[0]?.start ?? 0;
    if (part.label === null) {
      for (const pl of splitOversize([{ path: 'closing', start, text }]))
        push(pl, ctx.docTitle, [ctx.crumb], {});
      continue;
    }
    const name = `Phụ lục${part.label !== '' ? ` ${part.label}` : ''}`;
    for (const pl of splitOversize([{ path: `pl${part.index}`, start, text }]))
      push(pl, `${ctx.docTitle} · ${name}`, [ctx.crumb, name], {}, undefined, `${name} ${ctx.docLabel}`);
  }
  return chunks;
}
