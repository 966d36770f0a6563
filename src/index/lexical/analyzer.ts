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

/** Sentence punctuation (not the dots and slashes inside numbers, dates and document numbers). */
const BREAK = /[,.;:?!…]+(?=\s|$)|[()[\]{}"“”]/u;

/** Content tokens per punctuation-delimited segment: bigrams never span a comma or a full stop. */
export function contentSegments(text: string): string[][] {
  return text
    .split(BREAK)
    .map(contentTokens)
    .filter((seg) => seg.length > 0);
}

/** Unigrams + bigrams within each segment of a text. */
export function terms(text: string): string[] {
  return contentSegments(text).flatMap(withBigrams);
}

/** Unigrams + adjacent bigrams of a token list, for one key space. */
export function withBigrams(tokens: readonly string[]): string[] {
  return tokens.length > 1 ? [...tokens, ...bigrams(tokens)] : [...tokens];
}

/** Analyses a text for indexing or querying: accented and folded unigrams + bigrams. */
export function analyze(text: string): AnalyzedText {
  const segments = contentSegments(text);
  const accented: string[] = [];
  for (const seg of segments) pushWithBigrams(seg, '', accented);
  return { accented, folded: foldedTerms(segments) };
}

/** The folded terms of analyze(text) alone, without building the accented ones. */
export function analyzeFolded(text: string): string[] {
  return foldedTerms(contentSegments(text));
}

/** withBigrams() of each segment's folded tokens, in order, each prefixed with FOLDED. */
function foldedTerms(segments: readonly string[][]): string[] {
  const out: string[] = [];
  for (const seg of segments)
    pushWithBigrams(
      seg.map((t) => fold(t)),
      FOLDED,
      out,
    );
  return out;
}

/** Appends prefix + each token, then prefix + each adjacent bigram (as withBigrams() lists them). */
function pushWithBigrams(tokens: readonly string[], prefix: string, out: string[]): void {
  for (const t of tokens) out.push(prefix + t);
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${prefix}${tokens[i]}_${tokens[i + 1]}`);
}

/** True when a query was typed without any diacritics (so accented matches are only luck). */
export function isFoldedQuery(text: string): boolean {
  return !hasDiacritics(text);
}
