/**
 * How much of a procedure's name the question accounts for. A procedure name says exactly what
 * the procedure does ("Cấp lại thẻ căn cước", "Hòa giải tranh chấp đất đai"), and a citizen who
 * names the service in their own words covers most of it, while BM25 over the passages also
 * rewards long names and bodies that merely share a few of the question's words ("… căn cước
 * điện tử cho công dân Việt Nam (cấp xã)"). The share is IDF-weighted and computed on folded
 * terms, so a question typed without diacritics covers a name as well as an accented one.
 */
import { FOLDED, terms } from '../index/lexical/analyzer.js';
import { fold } from '../text/index.js';
import type { FusedDocument } from './fusion.js';

/** A folded term of a name and its IDF in the lexical index. */
export interface WeightedTerm {
  term: string;
  idf: number;
}

/** Tunables of the re-ranking. */
export interface NameCoverageParams {
  /** Added to the fused score (best document ≈ 1) times the covered share; 0 switches it off. */
  weight: number;
  /** Fused candidates re-ranked; the rest keep their order below them. */
  depth: number;
}

export const DEFAULT_NAME_COVERAGE: NameCoverageParams = { weight: 0.3, depth: 20 };

/** Folded unigrams and bigrams of a name with their IDF (`df` counts passages per folded term). */
export function weightedNameTerms(name: string, passages: number, df: (foldedTerm: string) => number): WeightedTerm[] {
  const seen = new Set<string>();
  const out: WeightedTerm[] = [];
  // A parenthesised tail ("(cấp xã)", "(thực hiện tại cấp tỉnh)") names the level, not the service.
  for (const t of terms(name.replace(/\([^)]*\)/gu, ' '))) {
    const term = fold(t);
    if (seen.has(term)) continue;
    seen.add(term);
    const n = df(FOLDED + term);
    out.push({ term, idf: Math.log(1 + (passages - n + 0.5) / (n + 0.5)) });
  }
  return out;
}

/** IDF-weighted share of the name's terms that are among the question's terms (0…1). */
export function coverage(name: readonly WeightedTerm[], question: ReadonlySet<string>): number {
  let total = 0;
  let covered = 0;
  for (const { term, idf } of name) {
    total += idf;
    if (question.has(term)) covered += idf;
  }
  return total > 0 ? covered / total : 0;
}

/**
 * Adds `weight × share` to the fused score of the first `depth` candidates that have a name
 * (`share` returns null for documents that are not procedures) and sorts them again.
 */
export function rerankByNameCoverage(
  fused: readonly FusedDocument[],
  share: (doc: number) => number | null,
  p: NameCoverageParams,
): FusedDocument[] {
  if (p.weight <= 0 || fused.length === 0) return [...fused];
  const head = fused.slice(0, p.depth).map((f) => {
    const s = share(f.doc);
    return s === null || s === 0 ? f : { ...f, score: f.score + p.weight * s };
  });
  head.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return [...head, ...fused.slice(p.depth)];
}
