import { bigrams, fold, hasDiacritics, isStopword, tokenize } from '../../text/index.js';

/** Prefix of terms in the folded (diacritic-free) key space. */
export const FOLDED = '~';

/** Terms of one text in both key spaces: accented syllables + bigrams, and their folded twins. */
export interface AnalyzedText {
  accented: string[];
  folded: string[];
}

/** Content tokens of a text: tokenize() minus particle stopwords. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((t) => !isStopword(t));
}

/** Unigrams + adjacent bigrams of a token list, for one key space. */
export function withBigrams(tokens: readonly string[]): string[] {
  return tokens.length > 1 ? [...tokens, ...bigrams(tokens)] : [...tokens];
}

/** Analyses a text for indexing or querying: accented and folded unigrams + bigrams. */
export function analyze(text: string): AnalyzedText {
  const tokens = contentTokens(text);
  const accented = withBigrams(tokens);
  const folded = withBigrams(tokens.map((t) => fold(t))).map((t) => FOLDED + t);
  return { accented, folded };
}

/** True when a query was typed without any diacritics (so accented matches are only luck). */
export function isFoldedQuery(text: string): boolean {
  return !hasDiacritics(text);
}
