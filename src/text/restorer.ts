/**
 * Diacritic restoration for queries typed without diacritics (DESIGN §4.10): the corpus's own
 * syllable unigram and bigram counts choose the most likely accented form of each folded syllable
 * in context, by a small Viterbi search over the accented candidates.
 */
import { fold, normalize } from './normalize.js';

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
