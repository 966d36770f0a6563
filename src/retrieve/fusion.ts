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

export const DEFAULT_FUSION: FusionParams = {
  rrfK: 60,
  lexicalWeight: 1,
  vectorWeight: 0.15,
  depth: 100,
  mode: 'score',
};

/** A document after fusion. */
export interface FusedDocument {
  doc: number;
  score: number;
  lexicalRank: number | null;
  vectorRank: number | null;
}

/**
 * Re-scores the first `depth` candidates with `rescore` and sorts them again (ties by document);
 * the rest keep their order below them. The re-rankings of the head (name coverage, foreign
 * variants, the conversation's domain) all go through here.
 */
export function rescoreHead(
  fused: readonly FusedDocument[],
  depth: number,
  rescore: (f: FusedDocument, i: number) => FusedDocument,
): FusedDocument[] {
  const head = fused.slice(0, depth).map(rescore);
  head.sort((a, b) => b.score - a.score || a.doc - b.doc);
  return [...head, ...fused.slice(depth)];
}

/** Scores of the documents one side of retrieval found: `docs[i]` scored `scores[i]`, for i < `count`. */
export interface DocScores {
  docs: Uint32Array;
  scores: Float64Array;
  count: number;
}

/** A document-score map as parallel arrays. */
export function docScoresOf(map: ReadonlyMap<number, number>): DocScores {
  return { docs: Uint32Array.from(map.keys()), scores: Float64Array.from(map.values()), count: map.size };
}

/**
 * Positions of the best `depth` entries, best first (score descending, then document ascending):
 * a bounded insertion into a sorted head instead of sorting every entry, as most documents score
 * below the head's last one after the first few hundred.
 */
export function topPositions({ docs, scores, count }: DocScores, depth: number): number[] {
  const head: number[] = [];
  if (depth <= 0) return head;
  const before = (a: number, b: number) =>
    scores[a]! > scores[b]! || (scores[a] === scores[b] && docs[a]! < docs[b]!);
  for (let i = 0; i < count; i++) {
    if (head.length === depth) {
      if (!before(i, head[depth - 1]!)) continue;
      head.pop();
    }
    let j = head.length;
    head.push(i);
    while (j > 0 && before(i, head[j - 1]!)) {
      head[j] = head[j - 1]!;
      j--;
    }
    head[j] = i;
  }
  return head;
}

/**
 * Weighted reciprocal-rank fusion of the lexical and vector document rankings. Documents the
 * query names exactly (procedure code, document number) are placed first.
 */
export function fuse(
  lexical: DocScores,
  vector: ReadonlyMap<number, number>,
  exact: Set<number>,
  p: FusionParams,
): FusedDocument[] {
  const out = new Map<number, FusedDocument>();
  const entry = (doc: number) => {
    let e = out.get(doc);
    if (!e) out.set(doc, (e = { doc, score: 0, lexicalRank: null, vectorRank: null }));
    return e;
  };
  const lex = topPositions(lexical, p.depth);
  const lexTop = lex.length > 0 ? lexical.scores[lex[0]!]! : 1;
  lex.forEach((at, i) => {
    const e = entry(lexical.docs[at]!);
    e.lexicalRank = i + 1;
    e.score +=
      p.mode === 'rrf'
        ? p.lexicalWeight / (p.rrfK + i + 1)
        : (p.lexicalWeight * lexical.scores[at]!) / (lexTop || 1);
  });
  if (p.vectorWeight > 0) {
    const side = docScoresOf(vector);
    const vec = topPositions(side, p.depth);
    const hi = vec.length > 0 ? side.scores[vec[0]!]! : 1;
    const lo = vec.length > 0 ? side.scores[vec.at(-1)!]! : 0;
    vec.forEach((at, i) => {
      const e = entry(side.docs[at]!);
      e.vectorRank = i + 1;
      e.score +=
        p.mode === 'rrf'
          ? p.vectorWeight / (p.rrfK + i + 1)
          : (p.vectorWeight * (side.scores[at]! - lo)) / (hi - lo || 1);
    });
  }
  for (const doc of exact) entry(doc).score += 1;
  return [...out.values()].sort((a, b) => b.score - a.score || a.doc - b.doc);
}
