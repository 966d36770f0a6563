/**
 * Acronyms learned from a corpus's own names (DESIGN §4.7): people shorten the names they read —
 * "HTX" for hợp tác xã, "NOXH" for nhà ở xã hội, "TNCN" for thu nhập cá nhân — and a province's
 * corpus names its subjects in full many times over. A short form is learned when one run of
 * syllables with those initials clearly dominates the names (counted once per name), so no list
 * has to be kept by hand and a new corpus brings its own short forms. The curated abbreviations of
 * lexicon.json come first; a learned one never replaces them.
 */
import { LEXICON, type Lexicon } from './lexicon.js';
import { fold, normalize } from './normalize.js';

/** Settings of the acronym learner. */
export interface AcronymOptions {
  /** Names a run must occur in (default 3). */
  minNames?: number;
  /** Share of the names holding a run with these initials that hold the best one (default 0.6). */
  minShare?: number;
  /** Shortest and longest run in syllables (default 3 and 5: two letters are too often chat spellings, "vk" for vợ). */
  minSyllables?: number;
  maxSyllables?: number;
}

/**
 * The shape of a Vietnamese syllable, folded: an initial consonant, vowels, a final consonant. A
 * short form that could be a syllable ("tin", "cao") is a word, not a short form; "htx", "tncn",
 * "cand" cannot be syllables.
 */
const SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]+(?:ng|nh|ch|[cmnpt])?$/u;

/** Breaks between runs: a run never spans brackets, a full stop, a colon or a semicolon. */
const BREAK = /[().;:[\]{}"]/u;
const LETTERS = /^\p{L}+$/u;

/**
 * Learns short form (folded initials) → long form (the dominant run, lower case with diacritics)
 * from the names of a corpus, e.g. titles of its procedures and documents.
 */
export function learnAcronyms(names: Iterable<string>, o: AcronymOptions = {}): Map<string, string> {
  const minNames = o.minNames ?? 3;
  const minShare = o.minShare ?? 0.6;
  const minSyllables = o.minSyllables ?? 3;
  const maxSyllables = o.maxSyllables ?? 5;
  /** Run → names holding it, for runs of up to one syllable more than the longest short form. */
  const counts = new Map<string, number>();
  for (const name of names) {
    const seen = new Set<string>();
    for (const segment of normalize(name).split(BREAK)) {
      const words = segment.split(/[\s,–-]+/u).filter((w) => w !== '');
      for (let i = 0; i < words.length; i++) {
        for (let n = 1; n <= maxSyllables + 1 && i + n <= words.length; n++) {
          if (!LETTERS.test(words[i + n - 1]!)) break;
          if (n < minSyllables) continue;
          const run = words.slice(i, i + n).join(' ');
          if (seen.has(run)) continue;
          seen.add(run);
          counts.set(run, (counts.get(run) ?? 0) + 1);
        }
      }
    }
  }
  // A run that is mostly the start of one longer run is part of a name, not a name: "phân cấp cho
  // chủ" (… tịch), "ở khu" (… vực). Its end may be a name: "thu nhập cá nhân" in "thuế thu nhập
  // cá nhân" is what "TNCN" stands for.
  const extended = new Map<string, number>();
  for (const [run, count] of counts) {
    const last = run.lastIndexOf(' ');
    if (last === run.indexOf(' ')) continue; // two syllables: its start is a single word
    const start = run.slice(0, last);
    extended.set(start, Math.max(extended.get(start) ?? 0, count));
  }
  const partOfName = (run: string, count: number) => (extended.get(run) ?? 0) >= 0.8 * count;
  /** initials → complete runs with them. */
  const byInitials = new Map<string, [string, number][]>();
  for (const [run, count] of counts) {
    const words = run.split(' ');
    if (words.length > maxSyllables || partOfName(run, count)) continue;
    const initials = words.map((w) => fold(w[0]!)).join('');
    let list = byInitials.get(initials);
    if (!list) byInitials.set(initials, (list = []));
    list.push([run, count]);
  }
  const out = new Map<string, string>();
  for (const [initials, list] of byInitials) {
    if (SYLLABLE.test(initials)) continue;
    let [best, bestCount] = list[0]!;
    let total = 0;
    for (const [run, count] of list) {
      total += count;
      if (count > bestCount || (count === bestCount && run < best)) [best, bestCount] = [run, count];
    }
    if (bestCount >= minNames && bestCount / total >= minShare) out.set(initials, best);
  }
  return out;
}

/** The lexicon with learned acronyms added as abbreviations (curated short forms keep their meaning). */
export function withAcronyms(acronyms: ReadonlyMap<string, string>, base: Lexicon = LEXICON): Lexicon {
  const curated = new Set(base.abbreviations.map((e) => e.folded));
  const learned = new Map([...acronyms].filter(([short]) => !curated.has(short)));
  return learned.size === 0 ? base : { ...base, acronyms: learned };
}
