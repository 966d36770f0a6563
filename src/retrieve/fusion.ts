/** How lexical and vector rankings are combined. */
export interface FusionParams {
  /** Reciprocal-rank constant: larger flattens the head of each list. */
  rrfK: number;
  lexicalWeight: number;
  /** 0 switches the vector side off. */
  vectorWeight: number;
  /** Documents kept from each side before fusion. */
  depth: number;
}

export const DEFAULT_FUSION: FusionParams = { rrfK: 60, lexicalWeight: 1, vectorWeight: 0.5, depth: 100 };

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
  ranked(lexical, p.depth).forEach((doc, i) => {
    const e = entry(doc);
    e.lexicalRank = i + 1;
    e.score += p.lexicalWeight / (p.rrfK + i + 1);
  });
  if (p.vectorWeight > 0) {
    ranked(vector, p.depth).forEach((doc, i) => {
      const e = entry(doc);
      e.vectorRank = i + 1;
      e.score += p.vectorWeight / (p.rrfK + i + 1);
    });
  }
  for (const doc of exact) entry(doc).score += 1;
  return [...out.values()].sort((a, b) => b.score - a.score || a.doc - b.doc);
}
