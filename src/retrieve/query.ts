import { FOLDED, contentTokens, withBigrams } from '../index/lexical/analyzer.js';
import type { QueryTerm } from '../index/lexical/bm25.js';
import {
  baseProcedureCode,
  documentNumberKey,
  expandAbbreviations,
  expandQuery,
  findDocumentNumbers,
  findProcedureCodes,
  fold,
  hasDiacritics,
  normalize,
  type DiacriticRestorer,
  type FieldHint,
} from '../text/index.js';

/** Weights of the lexical query terms; tuned with `npm run eval` on the shared datasets. */
export interface QueryWeights {
  /** Bigram weight relative to a unigram. */
  bigram: number;
  /** Folded-space weight relative to the accented space. */
  folded: number;
  /** Terms added by the lexicon and abbreviation expansion. */
  expansion: number;
  /** Accented terms of the diacritic-restored form of a query typed without diacritics. */
  restored: number;
}

export const DEFAULT_QUERY_WEIGHTS: QueryWeights = { bigram: 1, folded: 0.7, expansion: 0.5, restored: 0.8 };

/** A query after normalisation, expansion and entity recognition. */
export interface AnalyzedQuery {
  original: string;
  normalized: string;
  /** True when the query carries no diacritics at all. */
  withoutDiacritics: boolean;
  /** The query with diacritics restored from corpus statistics (only when typed without them). */
  restored: string | null;
  /** Query plus lexicon and abbreviation expansions: the text handed to the embedder. */
  expanded: string;
  fields: FieldHint[];
  procedureCodes: string[];
  documentNumbers: string[];
  terms: QueryTerm[];
}

/** Normalises, expands and analyses a query into weighted lexical terms. */
export function analyzeQuery(
  query: string,
  restorer: DiacriticRestorer | null,
  w: QueryWeights = DEFAULT_QUERY_WEIGHTS,
): AnalyzedQuery {
  const normalized = normalize(query);
  const withoutDiacritics = !hasDiacritics(normalized);
  const restored = withoutDiacritics && restorer ? restorer.restore(normalized) : null;
  const lexicon = expandQuery(expandAbbreviations(normalized));
  const expanded = normalize(lexicon.text);
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (weight > (weights.get(term) ?? 0)) weights.set(term, weight);
  };
  const addTokens = (tokens: string[], weight: number, accented: boolean) => {
    for (const t of tokens) {
      const bigram = t.includes('_');
      const base = weight * (bigram ? w.bigram : 1);
      if (accented) add(t, base);
      add(FOLDED + fold(t), base * w.folded);
    }
  };
  const base = contentTokens(normalized);
  addTokens(withBigrams(base), 1, true);
  const extra = contentTokens(expanded).filter((t) => !base.includes(t));
  addTokens(withBigrams(extra), w.expansion, true);
  if (restored && restored !== normalized) {
    const restoredTokens = withBigrams(contentTokens(restored));
    for (const t of restoredTokens) add(t, w.restored * (t.includes('_') ? w.bigram : 1));
  }
  return {
    original: query,
    normalized,
    withoutDiacritics,
    restored,
    expanded: restored && restored !== normalized ? `${restored} ${expanded}` : expanded,
    fields: lexicon.fields,
    procedureCodes: [...new Set(findProcedureCodes(normalized).map((m) => baseProcedureCode(m.code)))],
    documentNumbers: [...new Set(findDocumentNumbers(query).map((m) => documentNumberKey(m.text)))],
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
  };
}
