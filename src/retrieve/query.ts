import { FOLDED, terms } from '../index/lexical/analyzer.js';
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
  LEXICON,
  normalize,
  asCorpusWrites,
  type DiacriticRestorer,
  type FieldHint,
  type Lexicon,
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
  /** Terms of the record wording of the fields a question asks about ("bao lâu" → thời hạn giải quyết). */
  fieldWording: number;
  /**
   * An addition longer than this many syllables has its weight scaled down by length / this, so a
   * long record phrase ("giấy chứng nhận quyền sử dụng đất …") cannot outweigh the question itself.
   */
  additionSyllables: number;
}

export const DEFAULT_QUERY_WEIGHTS: QueryWeights = {
  bigram: 1,
  folded: 0.7,
  expansion: 0.5,
  restored: 0.8,
  fieldWording: 0.5,
  additionSyllables: 6,
};

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
  /**
   * Folded unigrams and bigrams (without the "~" prefix) of what the question is about: its own
   * words, abbreviations and citizens' phrases expanded, but not the record wording of the fields
   * it asks for. Optional so hand-made queries in tests need not carry it.
   */
  subjectTerms?: string[];
}

/** Normalises, expands and analyses a query into weighted lexical terms. */
export function analyzeQuery(
  query: string,
  restorer: DiacriticRestorer | null,
  w: QueryWeights = DEFAULT_QUERY_WEIGHTS,
  /** The corpus's query lexicon (curated plus learned acronyms); the curated one by default. */
  lexicon: Lexicon = LEXICON,
): AnalyzedQuery {
  // "đăng kí", "qui định", "đăg ký" read as the corpus writes them ("đăng ký", "quy định"), and as typed.
  const asTyped = normalize(query);
  const normalized = asCorpusWrites(asTyped, lexicon, restorer);
  const withoutDiacritics = !hasDiacritics(normalized);
  const restored = withoutDiacritics && restorer ? restorer.restore(normalized) : null;
  const abbreviated = expandAbbreviations(normalized, lexicon);
  const expansion = expandQuery(abbreviated, lexicon);
  const expanded = normalize(expansion.text);
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
  const base = terms(abbreviated);
  addTokens(base, 1, true);
  // A passage may use the rarer spelling too.
  if (asTyped !== normalized) addTokens(terms(expandAbbreviations(asTyped, lexicon)), 1, true);
  const subject = new Set(base.map((t) => fold(t)));
  const addAddition = (t: string[], weight: number) => {
    const syllables = t.filter((x) => !x.includes('_')).length;
    addTokens(t, weight * Math.min(1, w.additionSyllables / Math.max(1, syllables)), true);
  };
  for (const addition of expansion.phraseAdditions) {
    const t = terms(addition);
    addAddition(t, w.expansion);
    for (const x of t) subject.add(fold(x));
  }
  if (w.fieldWording > 0)
    for (const addition of expansion.fieldAdditions) addAddition(terms(addition), w.fieldWording);
  if (restored && restored !== normalized) {
    for (const t of terms(restored)) add(t, w.restored * (t.includes('_') ? w.bigram : 1));
  }
  return {
    original: query,
    normalized,
    withoutDiacritics,
    restored,
    expanded: restored && restored !== normalized ? `${restored} ${expanded}` : expanded,
    fields: expansion.fields,
    procedureCodes: [...new Set(findProcedureCodes(normalized).map((m) => baseProcedureCode(m.code)))],
    documentNumbers: [...new Set(findDocumentNumbers(query).map((m) => documentNumberKey(m.text)))],
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
    subjectTerms: [...subject],
  };
}
