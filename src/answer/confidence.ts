import { FOLDED } from '../index/lexical/analyzer.js';
import { Lru, type CacheStats } from '../lib/lru.js';
import {
  asCorpusWrites,
  expandAbbreviations,
  foldedWords,
  LEXICON,
  searchedText,
  type DiacriticRestorer,
  type Lexicon,
} from '../text/index.js';
import { subjectWords } from './intent.js';
import type { Retrieval } from './result-cache.js';

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
  /** Rarity (IDF over its maximum, 0…1) of the rarest subject syllable of letters only the top document lacks: a specific word left unanswered. */
  missingRarity: number;
  /** 1 when the lexical side alone also ranks the top document first. */
  lexicalFirst: number;
  /** How much more of its name the top procedure covers than the second (−1…1). */
  nameGap: number;
  /** Cosine similarity of the question to the top document on the vector side (0 without one). */
  similarity: number;
  /** 1 when the top document is a procedure record (0 for a legal document or a guide). */
  procedure: number;
}

/**
 * Folded syllables of snapshot objects (a document's title, a passage), computed once per object
 * while it is in use: the same documents and passages come back question after question, and
 * folding them was a tenth of the time of a chat request. Each is kept as ids into a dictionary of
 * syllables (4 bytes a syllable, about 0.7 kB for a passage of the tthc corpus) rather than as
 * strings with a map of positions (about 11 kB), and both are bounded, so a long-running server
 * does not end up holding the folded text of the corpus.
 */
export class SyllableCache {
  private readonly entries: Lru<object, Uint32Array>;
  private readonly ids = new Map<string, number>();

  constructor(
    /** Most titles and passages kept. */
    capacity: number,
    /** Most distinct syllables in the dictionary; when reached, the dictionary and the entries start over. */
    readonly maxSyllables = 100_000,
  ) {
    this.entries = new Lru(capacity);
  }

  /** Starts over when the dictionary is full; called before an object's syllables are read, never between. */
  prepare(): void {
    if (this.ids.size < this.maxSyllables) return;
    this.ids.clear();
    this.entries.clear();
  }

  /** The syllable ids of `owner`'s text, folded on first use. */
  of(owner: object, text: () => string): Uint32Array {
    const cached = this.entries.get(owner);
    if (cached) return cached;
    const words = foldedWords(text());
    const out = new Uint32Array(words.length);
    words.forEach((w, i) => {
      let id = this.ids.get(w);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(w, id);
      }
      out[i] = id;
    });
    this.entries.set(owner, out);
    return out;
  }

  /** The id of a folded syllable, −1 when no cached text has it. */
  idOf(word: string): number {
    return this.ids.get(word) ?? -1;
  }

  /** Hits, misses and size since creation. */
  stats(): CacheStats {
    return this.entries.stats();
  }

  /** Distinct syllables in the dictionary. */
  get syllables(): number {
    return this.ids.size;
  }
}

/**
 * The process's syllable cache: 16,384 titles and passages, about 11 MB on the tthc corpus. 16,000
 * distinct bench questions touch 18,000 of them; 4,096 entries hit 30 % of the time and 16,384
 * hit 71 %, a chat turn 5 % cheaper.
 */
export const syllableCache = new SyllableCache(16_384);

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

/** True when syllable `b` follows syllable `a` somewhere in the parts read one after another (ids; −1 is in none). */
function followedBy(parts: Uint32Array[], a: number, b: number): boolean {
  if (a < 0 || b < 0) return false;
  for (let k = 0; k < parts.length; k++) {
    const words = parts[k]!;
    for (let i = words.indexOf(a); i !== -1; i = words.indexOf(a, i + 1)) {
      const next = i + 1 < words.length ? words[i + 1] : parts[k + 1]?.[0];
      if (next === b) return true;
    }
  }
  return false;
}

/** Reads the confidence features of a retrieval for the question that produced it. */
export function confidenceFeatures(
  message: string,
  result: Retrieval,
  /**
   * The index the retrieval ran on (a snapshot): its vocabulary (passages per folded term,
   * passage count) for unknown words and rarity, both 0 without it; and its query lexicon, so a
   * learned short form ("htx") counts as the words it stands for (the curated one without it).
   */
  corpus?: {
    lexical: { documentFrequency(term: string): number; size: number };
    lexicon: Lexicon;
    /** Mends typos the corpus's syllables show ("đăg ký"), as retrieval does. */
    restorer?: DiacriticRestorer | null;
  },
): ConfidenceFeatures {
  const vocabulary = corpus?.lexical;
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
      procedure: 0,
    };
  const lexicon = corpus?.lexicon ?? LEXICON;
  const question = expandAbbreviations(asCorpusWrites(message, lexicon, corpus?.restorer), lexicon);
  const subject = [...new Set(subjectWords(question))];
  const subjectSet = new Set(subject);
  syllableCache.prepare();
  const title = syllableCache.of(top.doc, () => top.doc.title);
  // The title, then each passage's "heading . text": separators are not syllables.
  const parts = [
    title,
    ...top.chunks.map((c) =>
      syllableCache.of(c.chunk, () => `${c.chunk.heading} . ${searchedText(c.chunk)}`),
    ),
  ].filter((p) => p.length > 0);
  // Read after the parts, which may add syllables to the dictionary.
  const id = (w: string) => syllableCache.idOf(w);
  const inBody = (w: string) => {
    const i = id(w);
    return i >= 0 && parts.some((p) => p.includes(i));
  };
  const share = (has: (w: string) => boolean) =>
    subject.length === 0 ? 0 : subject.filter(has).length / subject.length;
  const asked = pairsOf(foldedWords(question), (a, b) => subjectSet.has(a) || subjectSet.has(b));
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
    // A date, an age or an amount ("12/3", "82 tuổi") is not a specific word left unanswered.
    else if (/^\p{L}+$/u.test(w)) missingRarity = Math.max(missingRarity, r);
  }
  return {
    coverage: share(inBody),
    titleCoverage: share((w) => {
      const i = id(w);
      return i >= 0 && title.includes(i);
    }),
    bigramCoverage:
      asked.length === 0
        ? 0
        : asked.filter(([a, b]) => followedBy(parts, id(a), id(b))).length / asked.length,
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
    procedure: top.doc.kind === 'procedure' ? 1 : 0,
  };
}
