/**
 * Query expansion from the curated lexicon in `lexicon.json` (DESIGN §4.7, §4.9): abbreviations,
 * citizens' phrases mapped to the records' terms, and question words mapped to record fields.
 */
import data from './lexicon.json' with { type: 'json' };
import { PROCEDURE_FIELDS, type FieldHint } from './fields.js';
import { fold, hasDiacritics, normalize } from './normalize.js';

const FIELD_HINTS: ReadonlySet<string> = new Set(
  PROCEDURE_FIELDS.filter((f): f is FieldHint => f !== 'general'),
);

interface LexiconFile {
  abbreviations: Record<string, string>;
  phrases: { say: string[]; means: string }[];
  questions: { field: string; say: string[]; means: string }[];
}

/** One compiled lexicon entry: what to look for and what it adds. */
interface Entry {
  phrase: string;
  folded: string;
  /** The first whole word of `folded`: a text without it as a word cannot hold the entry. */
  head: string;
  means: string;
  field: FieldHint | null;
}

/** What may not touch a phrase on either side for it to count as whole words. */
const WORD_CHAR = /[\p{L}\p{M}\p{N}/-]/u;
const wordChars = new Map<number, boolean>();

function isWordChar(cp: number): boolean {
  if (cp < 0x80) {
    return (
      (cp >= 0x61 && cp <= 0x7a) ||
      (cp >= 0x41 && cp <= 0x5a) ||
      (cp >= 0x30 && cp <= 0x39) ||
      cp === 0x2f ||
      cp === 0x2d
    );
  }
  let is = wordChars.get(cp);
  if (is === undefined) {
    is = WORD_CHAR.test(String.fromCodePoint(cp));
    wordChars.set(cp, is);
  }
  return is;
}

/** The code point that ends just before `at` (a surrogate pair read as one), or -1 at the start. */
function codePointBefore(s: string, at: number): number {
  if (at === 0) return -1;
  const low = s.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = s.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/** The whole words of a text (runs of word characters, as `wholeWordIndexes` delimits them). */
function wordsOf(s: string): Set<string> {
  const out = new Set<string>();
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const word = i < s.length && isWordChar(s.codePointAt(i)!);
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      out.add(s.slice(start, i));
      start = -1;
    }
  }
  return out;
}

function firstWord(s: string): string {
  for (const w of wordsOf(s)) return w;
  return s;
}

/** Positions of a sorted entry list by their first folded word, built once per list. */
const headIndexes = new WeakMap<readonly Entry[], Map<string, number[]>>();

/**
 * The entries whose first word is among `words`, in the list's order (longest first): a text can
 * hold no other, and a question has a few dozen words against thousands of phrases.
 */
function candidates(entries: readonly Entry[], words: ReadonlySet<string>): Entry[] {
  let index = headIndexes.get(entries);
  if (index === undefined) {
    index = new Map();
    entries.forEach((e, i) => {
      const list = index!.get(e.head);
      if (list) list.push(i);
      else index!.set(e.head, [i]);
    });
    headIndexes.set(entries, index);
  }
  const at: number[] = [];
  for (const w of words) {
    const list = index.get(w);
    if (list) for (const i of list) at.push(i);
  }
  return at.sort((a, b) => a - b).map((i) => entries[i]!);
}

/**
 * Where `phrase` occurs in `s` as whole words, left to right without overlaps: the matches of
 * the pattern (?<![\p{L}\p{M}\p{N}/-])phrase(?![\p{L}\p{M}\p{N}/-]) with flags "gu", found by
 * substring search (a regular expression per entry cost ~1 ms a query to compile on first use).
 */
function wholeWordIndexes(s: string, phrase: string): number[] {
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const at = s.indexOf(phrase, from);
    if (at < 0) return out;
    const end = at + phrase.length;
    const before = codePointBefore(s, at);
    const after = end < s.length ? s.codePointAt(end)! : -1;
    if ((before < 0 || !isWordChar(before)) && (after < 0 || !isWordChar(after))) {
      out.push(at);
      from = end;
    } else from = at + 1;
  }
}

export interface Lexicon {
  abbreviations: Entry[];
  /** Short forms learned from a corpus (acronyms.ts): folded short form → long form, matched as whole words typed without diacritics. */
  acronyms?: ReadonlyMap<string, string>;
  /** Syllables respelled as a corpus writes them (spelling.ts): "kí" → "ký", "qui" → "quy". */
  spellings?: ReadonlyMap<string, string>;
  phrases: Entry[];
  questions: Entry[];
}

/** Checks and compiles lexicon data; throws naming the bad entry. */
export function compileLexicon(raw: unknown): Lexicon {
  const file = raw as LexiconFile;
  if (
    typeof file !== 'object' ||
    file === null ||
    !Array.isArray(file.phrases) ||
    !Array.isArray(file.questions)
  ) {
    throw new Error('lexicon: expected { abbreviations, phrases, questions }');
  }
  const entry = (phrase: string, means: string, field: FieldHint | null, where: string): Entry => {
    const p = normalize(phrase);
    if (p === '' || normalize(means) === '') throw new Error(`lexicon ${where}: empty phrase or meaning`);
    const folded = fold(p);
    return { phrase: p, folded, head: firstWord(folded), means: normalize(means), field };
  };
  const byLength = (a: Entry, b: Entry) => b.phrase.length - a.phrase.length;
  return {
    abbreviations: Object.entries(file.abbreviations ?? {})
      .map(([k, v]) => entry(k, v, null, `abbreviations.${k}`))
      .sort(byLength),
    phrases: file.phrases
      .flatMap((p, i) => p.say.map((s) => entry(s, p.means, null, `phrases[${i}]`)))
      .sort(byLength),
    questions: file.questions
      .flatMap((q, i) => {
        if (!FIELD_HINTS.has(q.field)) throw new Error(`lexicon questions[${i}]: unknown field "${q.field}"`);
        return q.say.map((s) => entry(s, q.means, q.field as FieldHint, `questions[${i}]`));
      })
      .sort(byLength),
  };
}

export const LEXICON: Lexicon = compileLexicon(data);

/**
 * Where `entry` occurs as whole words in normalised `text`. An occurrence counts when it is spelt
 * with the entry's diacritics, or typed without any (the folded forms agree).
 */
function occurrences(text: string, foldedText: string, entry: Entry): number[] {
  const aligned = foldedText.length === text.length;
  // A substring test first: most entries do not occur, and the whole-word regex is far slower.
  if (
    aligned
      ? !foldedText.includes(entry.folded)
      : !text.includes(entry.phrase) && !text.includes(entry.folded)
  )
    return [];
  const haystack = aligned ? foldedText : text;
  const out: number[] = [];
  for (const at of wholeWordIndexes(haystack, entry.folded)) {
    if (!aligned) {
      if (entry.folded === entry.phrase) out.push(at);
      continue;
    }
    const original = text.slice(at, at + entry.folded.length);
    if (original === entry.phrase || !hasDiacritics(original)) out.push(at);
  }
  if (!aligned) out.push(...wholeWordIndexes(text, entry.phrase));
  return out;
}

/** Inserts the long form after each abbreviation ("cccd bị mất" → "cccd căn cước công dân bị mất"). */
export function expandAbbreviations(text: string, lexicon: Lexicon = LEXICON): string {
  const norm = normalize(text);
  const folded = fold(norm);
  const inserts: { at: number; text: string }[] = [];
  const taken = new Uint8Array(norm.length + 1);
  for (const e of candidates(lexicon.abbreviations, wordsOf(folded))) {
    for (const at of occurrences(norm, folded, e)) {
      if (taken[at] === 1) continue;
      taken.fill(1, at, at + e.phrase.length);
      inserts.push({ at: at + e.phrase.length, text: e.means });
    }
  }
  if (lexicon.acronyms) {
    for (const m of norm.matchAll(/\p{L}+/gu)) {
      const means = lexicon.acronyms.get(fold(m[0]));
      if (means === undefined || taken[m.index] === 1) continue;
      inserts.push({ at: m.index + m[0].length, text: means });
    }
  }
  let out = norm;
  for (const i of inserts.sort((a, b) => b.at - a.at))
    out = `${out.slice(0, i.at)} ${i.text}${out.slice(i.at)}`;
  return out;
}

/** A query with the lexicon's record wording appended, and the fields its question words ask for. */
export interface ExpandedQuery {
  text: string;
  fields: FieldHint[];
  /** The lexicon phrases that matched, for explanations and tests. */
  matched: string[];
  /** Record wording added for citizens' phrases. */
  phraseAdditions: string[];
  /** Record wording added for the fields the question asks about. */
  fieldAdditions: string[];
}

/** Expands citizens' phrases to the records' terms and reads which fields the question asks for. */
export function expandQuery(text: string, lexicon: Lexicon = LEXICON): ExpandedQuery {
  const norm = normalize(text);
  const folded = fold(norm);
  const taken = new Uint8Array(norm.length);
  const phraseAdditions: string[] = [];
  const fieldAdditions: string[] = [];
  const fields: FieldHint[] = [];
  const matched: string[] = [];
  const words = wordsOf(folded);
  const scan = (entries: Entry[], additions: string[]) => {
    for (const e of candidates(entries, words)) {
      for (const at of occurrences(norm, folded, e)) {
        // Longer phrases are tried first; a shorter one inside an already matched span adds nothing.
        let free = false;
        for (let i = at; i < at + e.phrase.length; i++) if (taken[i] === 0) free = true;
        if (!free) continue;
        taken.fill(1, at, at + e.phrase.length);
        if (!additions.includes(e.means)) additions.push(e.means);
        if (e.field && !fields.includes(e.field)) fields.push(e.field);
        matched.push(e.phrase);
      }
    }
  };
  scan(lexicon.phrases, phraseAdditions);
  taken.fill(0);
  scan(lexicon.questions, fieldAdditions);
  const additions = [...phraseAdditions, ...fieldAdditions];
  return {
    text: additions.length === 0 ? norm : `${norm}. ${additions.join('. ')}`,
    fields,
    matched,
    phraseAdditions,
    fieldAdditions,
  };
}
