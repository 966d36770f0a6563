/**
 * Syllables written with i or y alike: after an initial consonant the one vowel may be spelled
 * either way ("kí"/"ký", "lí lịch"/"lý lịch", "qui định"/"quy định", "kĩ"/"kỹ", "mĩ"/"mỹ"), and
 * people use both while a corpus mostly uses one. "uy", "ay" and "ây" are other rhymes
 * ("thủy"/"thủi", "tay"/"tai") and are left alone.
 */
import type { Lexicon } from './lexicon.js';
import { fold, normalize } from './normalize.js';
import { INITIALS, type DiacriticRestorer } from './restorer.js';

/** The vowel with each tone, in the same order for i and y. */
const I_TONES = ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'];
const Y_TONES = ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'];

/** How much more often a corpus must use one spelling of a syllable for the other to be respelled. */
export const SPELLING_RATIO = 5;
/** Passages the preferred spelling must appear in at least. */
export const SPELLING_MIN_DF = 5;

/**
 * Learns, from how often a corpus uses each spelling, which i/y twins to respell as the corpus
 * writes them: the rarer spelling of a pair maps to the commoner when that one is used
 * SPELLING_RATIO times as often (in SPELLING_MIN_DF passages or more). Pairs are read with and
 * without diacritics: typed without them, "ki" is respelled "ky" when the corpus's "ky" (kỳ, ký,
 * kỹ …) outnumbers its "ki". `df` is the passages holding a syllable, `foldedDf` those holding
 * it once diacritics are stripped.
 */
export function learnSpellings(
  df: (syllable: string) => number,
  foldedDf: (syllable: string) => number,
): Map<string, string> {
  const out = new Map<string, string>();
  const pair = (a: string, b: string, count: (s: string) => number) => {
    const na = count(a);
    const nb = count(b);
    if (nb >= SPELLING_MIN_DF && nb >= SPELLING_RATIO * Math.max(na, 1)) out.set(a, b);
    else if (na >= SPELLING_MIN_DF && na >= SPELLING_RATIO * Math.max(nb, 1)) out.set(b, a);
  };
  for (const initial of INITIALS) {
    // The i of "gi" belongs to the initial ("gì" is not "gỳ"); đ pairs are the d ones folded.
    if (initial === 'g' || initial === 'gi') continue;
    // With a tone mark, by the accented counts; without one, by the folded counts, since a
    // syllable typed without diacritics may stand for any tone ("ki": kì, kí, kĩ …).
    for (let t = 1; t < I_TONES.length; t++) pair(initial + I_TONES[t]!, initial + Y_TONES[t]!, df);
    pair(fold(initial + 'i'), fold(initial + 'y'), foldedDf);
  }
  return out;
}

/** The text with each whole syllable the map knows respelled (case of its first letter kept). */
export function respell(text: string, spellings: ReadonlyMap<string, string> | undefined): string {
  if (!spellings || spellings.size === 0) return text;
  return text.replace(/\p{L}+/gu, (word) => {
    const lower = word.toLowerCase();
    const to = spellings.get(lower);
    if (to === undefined) return word;
    return word[0] !== lower[0] ? to[0]!.toUpperCase() + to.slice(1) : to;
  });
}

/** Single words a lexicon expands (abbreviations, learned short forms), folded: never mended as typos. */
const shortForms = new WeakMap<Lexicon, Set<string>>();
function shortFormsOf(lexicon: Lexicon): Set<string> {
  let set = shortForms.get(lexicon);
  if (!set) {
    set = new Set(lexicon.abbreviations.map((e) => e.folded).filter((f) => !f.includes(' ')));
    for (const k of lexicon.acronyms?.keys() ?? []) set.add(k);
    shortForms.set(lexicon, set);
  }
  return set;
}

/**
 * A question read as the corpus writes it: normalised, i/y spelled its way ("đăng kí" → "đăng ký")
 * and, with the corpus's restorer, syllables one typo away from a known one mended where a
 * neighbour supports them ("đăg ký" → "đăng ký"; DiacriticRestorer.correct). Retrieval and the
 * answer layer's features read the same text.
 */
export function asCorpusWrites(
  text: string,
  lexicon: Lexicon,
  restorer: DiacriticRestorer | null | undefined,
): string {
  // A turn reads its question so for retrieval and again for the answer layer's features.
  const last = lastRead;
  if (last.text === text && last.lexicon === lexicon && last.restorer === restorer) return last.read;
  let read = respell(normalize(text), lexicon.spellings);
  if (restorer) {
    const keep = shortFormsOf(lexicon);
    read = restorer.correct(read, (token) => keep.has(fold(token)));
  }
  lastRead = { text, lexicon, restorer, read };
  return read;
}

let lastRead: {
  text: string;
  lexicon: Lexicon | null;
  restorer: DiacriticRestorer | null | undefined;
  read: string;
} = { text: '', lexicon: null, restorer: null, read: '' };
