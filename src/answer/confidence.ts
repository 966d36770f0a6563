import type { RetrievalResult } from '../retrieve/retriever.js';
import { FOLDED } from '../index/lexical/analyzer.js';
import { Lru } from '../lib/lru.js';
import { expandAbbreviations, fold, LEXICON, normalize, type Lexicon } from '../text/index.js';
import { subjectWords } from './intent.js';

/** Retrieval features of a question's first result, read by the answer-or-decline and conversation models (learn/decision-features.ts); in [0, 1] except `words`, `unknown` and `nameGap` (−1…1). */
export interface ConfidenceFeatures {
  /** Share of the question's subject syllables found in the top document's title and best passages. */
  coverage: number;
  /** Share of them found in the top document's title alone. */
  titleCoverage: number;
  /** Share of the question's adjacent syllable pairs found as pairs in the title and best passages. */
  bigramCoverage: number;
  /** Relative gap between the first and second fused scores. */
  margin: number;
  /** 1 when the vector side also ranks the top document in its first three. */
  agree: number;
  /** Number of subject syllables (short questions are ambiguous). */
  words: number;
  /** 1 when the question named the document's code or number. */
  exact: number;
  /** Subject words (folded, three letters or more) that no passage of the index contains. */
  unknown: number;
  /** IDF-weighted share of the top procedure's name the question covers (0 for other documents). */
  nameShare: number;
  /** IDF-weighted share of the subject syllables found in the title and best passages (coverage weighted by rarity). */
  idfCoverage: number;
  /** Rarity (IDF over its maximum, 0…1) of the rarest subject syllable the top document lacks: a specific word left unanswered. */
  missingRarity: number;
  /** 1 when the lexical side alone also ranks the top document first. */
  lexicalFirst: number;
  /** How much more of its name the top procedure covers than the second (−1…1). */
  nameGap: number;
  /** Cosine similarity of the question to the top document on the vector side (0 without one). */
  similarity: number;
}

const syllables = (text: string): string[] =>
  fold(normalize(text))
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');

/** Folded syllables of a text, with where each occurs, for coverage and pair lookups. */
interface Syllables {
  words: string[];
  at: Map<string, number[]>;
}

function syllablesOf(text: string): Syllables {
  const words = syllables(text);
  const at = new Map<string, number[]>();
  words.forEach((w, i) => {
    const list = at.get(w);
    if (list) list.push(i);
    else at.set(w, [i]);
  });
  return { words, at };
}

/**
 * Syllables of snapshot objects (a document's title, a passage), computed once per object while it
 * is in use: the same documents and passages come back question after question, and folding them
 * was a tenth of the time of a chat request. Bounded, so a long-running server does not end up
 * holding the folded text of the whole corpus.
 */
const syllableCache = new Lru<object, Syllables>(4096);
function cachedSyllables(owner: object, text: () => string): Syllables {
  return syllableCache.getOrSet(owner, () => syllablesOf(text()));
}

/** Distinct adjacent syllable pairs that `keep` accepts (a pair of two filler words says nothing). */
function pairsOf(words: string[], keep: (a: string, b: string) => boolean): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (let i = 1; i < words.length; i++) {
    const a = words[i - 1]!;
    const b = words[i]!;
    if (!keep(a, b) || seen.has(`${a} ${b}`)) continue;
    seen.add(`${a} ${b}`);
    out.push([a, b]);
  }
  return out;
}

/** True when `b` follows `a` somewhere in the parts read one after another. */
function followedBy(parts: Syllables[], a: string, b: string): boolean {
  for (let k = 0; k < parts.length; k++) {
    const { words, at } = parts[k]!;
    for (const i of at.get(a) ?? []) {
      const next = i + 1 < words.length ? words[i + 1] : parts[k + 1]?.words[0];
      if (next === b) return true;
    }
  }
  return false;
}

/** Reads the confidence features of a retrieval for the question that produced it. */
export function confidenceFeatures(
  message: string,
  result: RetrievalResult,
  /** The index's vocabulary (passages per folded term, passage count), for unknown words and rarity; without it both are 0. */
  vocabulary?: { documentFrequency(term: string): number; size: number },
  /** The corpus's query lexicon, so a learned short form ("htx") counts as the words it stands for. */
  lexicon: Lexicon = LEXICON,
): ConfidenceFeatures {
  const top = result.results[0];
  if (!top)
    return {
      coverage: 0,
      titleCoverage: 0,
      bigramCoverage: 0,
      margin: 0,
      agree: 0,
      words: 0,
      exact: 0,
      unknown: 0,
      nameShare: 0,
      idfCoverage: 0,
      missingRarity: 0,
      lexicalFirst: 0,
      nameGap: 0,
      similarity: 0,
    };
  const question = expandAbbreviations(normalize(message), lexicon);
  const subject = [...new Set(subjectWords(question))];
  const subjectSet = new Set(subject);
  const title = cachedSyllables(top.doc, () => top.doc.title);
  // The title, then each passage's "heading . text": separators are not syllables.
  const parts = [
    title,
    ...top.chunks.map((c) => cachedSyllables(c.chunk, () => `${c.chunk.heading} . ${c.chunk.text}`)),
  ].filter((p) => p.words.length > 0);
  const inBody = (w: string) => parts.some((p) => p.at.has(w));
  const share = (has: (w: string) => boolean) =>
    subject.length === 0 ? 0 : subject.filter(has).length / subject.length;
  const asked = pairsOf(syllables(question), (a, b) => subjectSet.has(a) || subjectSet.has(b));
  const second = result.results[1]?.score ?? 0;
  // Rarity of a subject word: its IDF over the IDF of a word in one passage.
  const maxIdf = vocabulary ? Math.log(1 + vocabulary.size) : 1;
  const rarity = (w: string) =>
    vocabulary ? Math.log(1 + vocabulary.size / (1 + vocabulary.documentFrequency(FOLDED + w))) / maxIdf : 1;
  let total = 0;
  let found = 0;
  let missingRarity = 0;
  for (const w of subject) {
    const r = rarity(w);
    total += r;
    if (inBody(w)) found += r;
    else missingRarity = Math.max(missingRarity, r);
  }
  return {
    coverage: share(inBody),
    titleCoverage: share((w) => title.at.has(w)),
    bigramCoverage:
      asked.length === 0 ? 0 : asked.filter(([a, b]) => followedBy(parts, a, b)).length / asked.length,
    margin: top.score > 0 ? Math.max(0, Math.min(1, (top.score - second) / top.score)) : 0,
    agree: top.vectorRank !== null && top.vectorRank < 3 ? 1 : 0,
    words: subject.length,
    exact: top.exact ? 1 : 0,
    unknown: vocabulary
      ? subject.filter((w) => /^\p{L}{3,}$/u.test(w) && vocabulary.documentFrequency(FOLDED + w) === 0).length
      : 0,
    nameShare: top.nameShare ?? 0,
    idfCoverage: total > 0 ? found / total : 0,
    missingRarity,
    lexicalFirst: top.lexicalRank === 1 ? 1 : 0,
    nameGap: (top.nameShare ?? 0) - (result.results[1]?.nameShare ?? 0),
    similarity: top.similarity ?? 0,
  };
}
