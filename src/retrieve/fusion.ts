/** How lexical and vector rankings are combined. */
export interface FusionParams {
  /** Reciprocal-rank constant: larger flattens the head of each list. */
  rrfK: number;
  lexicalWeight: number;
  /** 0 switches the vector side off. */
  vectorWeight: number;
  /** Documents kept from each side before fusion. */
  depth: number;
  /**
   * 'rrf': weighted reciprocal ranks. 'score': weighted sum of each side's scores scaled to [0, 1]
   * by the side's best score (lexical) or min–max over its candidates (vector), which keeps the
   * margin a strong lexical match has over the rest.
   */
  mode: 'rrf' | 'score';
}

export const DEFAULT_FUSION: FusionParams = { rrfK: 60, lexicalWeight: 1, vectorWeight: 0.15, depth: 100, mode: 'score' };

/** A document after fusion. */
export interface FusedDocument {
  doc: number;
  score: number;
  lexicalRank: number | null;
  vectorRank: number | null;
}

/** Ranks a document-score map, best first, keeping `depth` entries. */
function ranked(scores: Map<number, number>, depth: number): number[] {
  return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, depth).map(([doc]) => doc);
}

/**
 * Weighted reciprocal-rank fusion of the lexical and vector document rankings. Documents the
 * query names exactly (procedure code, document number) are placed first.
 */
export function fuse(
  lexical: Map<number, number>,
  vector: Map<number, number>,
  exact: Set<number>,
  p: FusionParams,
): FusedDocument[] {
  const out = new Map<number, FusedDocument>();
  const entry = (doc: number) => {
    let e = out.get(doc);
    if (!e) out.set(doc, (e = { doc, score: 0, lexicalRank: null, vectorRank: null }));
    return e;
  };
  const lex = ranked(lexical, p.depth);
  const lexTop = lexical.get(lex[0] ?? -1) ?? 1;
  lex.forEach((doc, i) => {
    const e = entry(doc);
    e.lexicalRank = i + 1;
    e.score += p.mode === 'rrf' ? p.lexicalWeight / (p.rrfK + i + 1) : (p.lexicalWeight * lexical.get(doc)!) / (lexTop || 1);
  });
  if (p.vectorWeight > 0) {
    const vec = ranked(vector, p.depth);
    const hi = vector.get(vec[0] ?? -1) ?? 1;
    const lo = vector.get(vec.at(-1) ?? -1) ?? 0;
    vec.forEach((doc, i) => {
      const e = entry(doc);
      e.vectorRank = i + 1;
      e.score +=
        p.mode === 'rrf' ? p.vectorWeight / (p.rrfK + i + 1) : (p.vectorWeight * (vector.get(doc)! - lo)) / (hi - lo || 1);
    });
  }
  for (const doc of exact) entry(doc).score += 1;
  return [...out.values()].sort((a, b) => b.score - a.score || a.doc - b.doc);
}
