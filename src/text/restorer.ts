/**
 * Diacritic restoration for queries typed without diacritics (DESIGN §4.10): the corpus's own
 * syllable unigram and bigram counts choose the most likely accented form of each folded syllable
 * in context, by a small Viterbi search over the accented candidates.
 */
import { fold, hasDiacritics, normalize } from './normalize.js';

const SYLLABLE = /^[\p{L}\p{M}]+$/u;
/** Candidates kept per folded syllable (by frequency). */
const MAX_CANDIDATES = 8;
/** Bigrams seen fewer times than this are dropped once counted, so a built model and its saved copy restore alike. */
const MIN_BIGRAM = 2;
/** Weight of the unigram prior in the smoothed bigram probability. */
const PRIOR = 1;

/** Serialised form: unigram counts and bigram counts ("a b"). */
export interface RestorerData {
  version: 1;
  unigrams: [string, number][];
  bigrams: [string, number][];
}

export class DiacriticRestorer {
  /** folded syllable → accented candidates, most frequent first. */
  private readonly candidates = new Map<string, string[]>();
  /** Sum of counts of all accented forms sharing one folded key. */
  private readonly foldTotals = new Map<string, number>();

  private constructor(
    private readonly unigrams: Map<string, number>,
    private readonly bigramCounts: Map<string, number>,
  ) {
    const byFold = new Map<string, string[]>();
    for (const [w, c] of unigrams) {
      const f = fold(w);
      const list = byFold.get(f);
      if (list) list.push(w);
      else byFold.set(f, [w]);
      this.foldTotals.set(f, (this.foldTotals.get(f) ?? 0) + c);
    }
    for (const [f, list] of byFold) {
      list.sort((a, b) => (unigrams.get(b) ?? 0) - (unigrams.get(a) ?? 0));
      this.candidates.set(f, list.slice(0, MAX_CANDIDATES));
    }
  }

  /** Counts syllables and syllable bigrams of the texts (lower-cased, canonical tones). */
  static train(texts: Iterable<string>): DiacriticRestorer {
    const unigrams = new Map<string, number>();
    const bigramCounts = new Map<string, number>();
    for (const text of texts) {
      let prev: string | null = null;
      for (const token of normalize(text).split(/[^\p{L}\p{M}]+/u)) {
        if (token === '') {
          prev = null;
          continue;
        }
        unigrams.set(token, (unigrams.get(token) ?? 0) + 1);
        if (prev !== null) {
          const key = `${prev} ${token}`;
          bigramCounts.set(key, (bigramCounts.get(key) ?? 0) + 1);
        }
        prev = token;
      }
    }
    for (const [key, count] of bigramCounts) if (count < MIN_BIGRAM) bigramCounts.delete(key);
    return new DiacriticRestorer(unigrams, bigramCounts);
  }

  static fromJSON(data: unknown): DiacriticRestorer {
    const d = data as RestorerData;
    if (
      typeof d !== 'object' ||
      d === null ||
      d.version !== 1 ||
      !Array.isArray(d.unigrams) ||
      !Array.isArray(d.bigrams)
    ) {
      throw new Error('restorer.json: not a version 1 restorer model');
    }
    return new DiacriticRestorer(new Map(d.unigrams), new Map(d.bigrams));
  }

  toJSON(): RestorerData {
    return {
      version: 1,
      unigrams: [...this.unigrams],
      bigrams: [...this.bigramCounts],
    };
  }

  /** Accented forms the corpus has for a folded syllable, most frequent first. */
  candidatesOf(folded: string): readonly string[] {
    return this.candidates.get(folded) ?? [];
  }

  private logProb(prev: string | null, word: string, folded: string): number {
    const total = this.foldTotals.get(folded) ?? 0;
    const prior = total > 0 ? (this.unigrams.get(word) ?? 0) / total : 1;
    if (prev === null) return Math.log(prior + 1e-9);
    const pair = this.bigramCounts.get(`${prev} ${word}`) ?? 0;
    const prevCount = this.unigrams.get(prev) ?? 0;
    return Math.log((pair + PRIOR * prior) / (prevCount + PRIOR) + 1e-9);
  }

  /**
   * Restores diacritics of a normalised query typed without them ("dang ky khai sinh" →
   * "đăng ký khai sinh"). Words the corpus does not know, numbers and punctuation are kept.
   */
  restore(text: string): string {
    const norm = normalize(text);
    const parts = norm.split(/([^\p{L}\p{M}]+)/u);
    // Runs of consecutive syllables are decoded together; separators break the context.
    const out = [...parts];
    let run: number[] = [];
    const flush = () => {
      if (run.length > 0)
        this.decode(
          run.map((i) => parts[i] ?? ''),
          run,
          out,
        );
      run = [];
    };
    parts.forEach((p, i) => {
      if (p === '') return;
      if (SYLLABLE.test(p)) run.push(i);
      else if (/^\s+$/u.test(p)) return;
      else flush();
    });
    flush();
    return out.join('');
  }

  /**
   * Mends syllables the corpus does not know that are one edit (a letter left out, added, changed
   * or two swapped) away from one it knows, when the corpus has that syllable next to a neighbour
   * of the typo ("đăg ký" → "đăng ký", "kai sinh" → "khai sinh", "giay to" → "giấy tờ" stays).
   * Only syllables of three letters or more, outside `keep` (abbreviations, short forms), are
   * read; among several mends the one the neighbours support most is taken, and a syllable no
   * neighbour supports (a foreign word, a brand) is left as typed. Typed without diacritics, the
   * mend is left without them for restore() to choose. `text` is normalised (normalize()).
   */
  correct(text: string, keep: (token: string) => boolean = () => false): string {
    const parts = text.split(/([^\p{L}\p{M}]+)/u);
    const words = parts.map((p, i) => ({ p, i })).filter(({ p }) => SYLLABLE.test(p));
    let changed = false;
    words.forEach(({ p, i }, k) => {
      const lower = p.toLowerCase();
      const f = fold(lower);
      // A word the corpus lacks but Vietnamese has ("heo", "rau") is no typo; nor is a foreign word
      // with f, j, w or z, or, in text not lower-cased, a short form in capitals ("OCOP").
      if (f.length < 3 || this.candidates.has(f) || keep(lower)) return;
      if (!/^[a-z]+$/u.test(f) || /[fjwz]/u.test(f) || p === p.toUpperCase() || isSyllable(f)) return;
      // The neighbour before as mended already.
      const prev = words[k - 1] === undefined ? undefined : parts[words[k - 1]!.i];
      const next = words[k + 1]?.p;
      // The most the corpus has the form next to some reading of a neighbour.
      const beside = (neighbour: string | undefined, form: string, before: boolean) => {
        if (neighbour === undefined) return 0;
        const n = normalize(neighbour);
        let most = 0;
        for (const o of hasDiacritics(n) ? [n] : this.candidatesOf(fold(n)))
          most = Math.max(most, this.bigramCounts.get(before ? `${o} ${form}` : `${form} ${o}`) ?? 0);
        return most;
      };
      let best: { form: string; support: number } | null = null;
      for (const v of edits(f)) {
        const forms = this.candidates.get(v);
        if (!forms) continue;
        for (const form of forms) {
          const support = beside(prev, form, true) + beside(next, form, false);
          if (support > 0 && (!best || support > best.support))
            best = { form: hasDiacritics(lower) ? form : v, support };
        }
      }
      if (best) {
        parts[i] = best.form;
        changed = true;
      }
    });
    return changed ? parts.join('') : text;
  }

  private decode(words: string[], at: number[], out: string[]): void {
    const lattices = words.map((w) => {
      const f = fold(w);
      const c = this.candidatesOf(f);
      return { folded: f, options: c.length > 0 ? [...c] : [w] };
    });
    let scores: number[] = [];
    const back: number[][] = [];
    lattices.forEach((node, i) => {
      const next: number[] = [];
      const ptr: number[] = [];
      node.options.forEach((opt) => {
        if (i === 0) {
          next.push(this.logProb(null, opt, node.folded));
          ptr.push(-1);
          return;
        }
        let best = -Infinity;
        let arg = 0;
        lattices[i - 1]!.options.forEach((prev, j) => {
          const s = (scores[j] ?? -Infinity) + this.logProb(prev, opt, node.folded);
          if (s > best) {
            best = s;
            arg = j;
          }
        });
        next.push(best);
        ptr.push(arg);
      });
      scores = next;
      back.push(ptr);
    });
    let k = scores.indexOf(Math.max(...scores));
    for (let i = lattices.length - 1; i >= 0; i--) {
      out[at[i]!] = lattices[i]!.options[k] ?? words[i]!;
      k = back[i]![k] ?? 0;
    }
  }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The strings one edit away from a word: a letter deleted, two swapped, one changed or one inserted. */
function edits(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (b.length > 0) out.add(a + b.slice(1));
    if (b.length > 1) out.add(a + b[1] + b[0] + b.slice(2));
    for (const c of LETTERS) {
      if (b.length > 0) out.add(a + c + b.slice(1));
      out.add(a + c + b);
    }
  }
  out.delete(word);
  return out;
}

/** Initials of a Vietnamese syllable, folded (đ → d). */
export const INITIALS = [
  ...['b', 'c', 'ch', 'd', 'g', 'gh', 'gi', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh'],
  ...['p', 'ph', 'qu', 'r', 's', 't', 'th', 'tr', 'v', 'x'],
] as const;
const INITIAL = `(${[...INITIALS].sort((a, b) => b.length - a.length).join('|')})?`;
/** Rhymes of a Vietnamese syllable, folded (ươ → uo, ây → ay, êu → eu …). */
const RHYME =
  '(a|ac|ach|ai|am|an|ang|anh|ao|ap|at|au|ay|e|ec|ech|em|en|eng|enh|eo|ep|et|eu|i|ia|ich|iec|iem|ien|ieng|iep|iet|ieu|im|in|inh|ip|it|iu|' +
  'o|oa|oac|oach|oai|oam|oan|oang|oanh|oao|oap|oat|oay|oc|oe|oen|oeo|oet|oi|om|on|ong|ooc|oong|op|ot|' +
  'u|ua|uan|uang|uanh|uat|uay|uc|ue|uen|uenh|uet|uy|uya|uych|uyen|uyet|uynh|uyt|uyu|ui|um|un|ung|uo|uoc|uoi|uom|uon|uong|uop|uot|uou|up|ut|uu|' +
  'y|yem|yen|yet|yeu)';
const SYLLABLE_SHAPE = new RegExp(`^${INITIAL}${RHYME}$`, 'u');

/**
 * True when a folded word is spelled like a Vietnamese syllable: an initial and a rhyme, with
 * k, gh and ngh only before e, i, y and c, g and ng never before them ("kai" and "đăg" are not).
 */
export function isSyllable(folded: string): boolean {
  const m = SYLLABLE_SHAPE.exec(folded);
  if (!m) return false;
  const initial = m[1] ?? '';
  // "gi" before i or y is written g ("gì", "gìn"): "giy" is no syllable, "gin" is.
  if (initial === 'gi' && /^[iy]/u.test(m[2]!)) return false;
  if (initial === 'g' && m[2]!.startsWith('i')) return true;
  const front = /^[eiy]/u.test(m[2]!);
  if ((initial === 'k' || initial === 'gh' || initial === 'ngh') && !front) return false;
  if ((initial === 'c' || initial === 'g' || initial === 'ng') && front) return false;
  return true;
}
