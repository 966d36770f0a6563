import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import type { CacheStats } from '../../lib/lru.js';
import { ArrayReader, packArrays, type BinaryArray } from '../binary.js';
import { fold } from '../../text/index.js';
import { analyze, FOLDED } from './analyzer.js';
import { appendPostings, lastItem, PostingLog, type PackedPostings } from './postings.js';
import { TermDictionary } from './term-dictionary.js';

/** Text of one indexed passage, by field. */
export interface LexicalInput {
  heading: string;
  body: string;
}

/** BM25F parameters: one saturation constant, per-field length normalisation and weight. */
export interface Bm25Params {
  k1: number;
  bHeading: number;
  bBody: number;
  wHeading: number;
  wBody: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, bHeading: 0.5, bBody: 0.75, wHeading: 2.5, wBody: 1 };

/** A weighted query term (already analysed into one key space). */
export interface QueryTerm {
  term: string;
  weight: number;
}

/** Version of `lexical.json` + `lexical.bin`; 2 packs the terms and compresses the postings. */
const FORMAT = 2;
/** Per-passage term frequencies are counted in 16 bits per field before clamping. */
const COUNT_LIMIT = 0xffff;
/** Term ids remembered between queries before the cache starts over. */
const TERM_CACHE = 50_000;
/** Terms in at least this many passages are scored from decoded postings (see `decoded`). */
const DECODED_MIN_DF = 1024;

/** A common term's postings decoded: passage numbers and each one's BM25F impact (idf · saturated tf). */
interface DecodedTerm {
  /** 16-bit when the index has fewer than 65,536 passages. */
  items: Uint16Array | Uint32Array;
  impacts: Float32Array;
}

/**
 * A built index before it is wrapped for search: only typed arrays (each the sole view of its
 * buffer) and numbers, so it crosses threads by transferring the buffers instead of copying them.
 */
export interface LexicalParts {
  size: number;
  params: Bm25Params;
  /** The term dictionary (see term-dictionary.ts). */
  termBytes: Uint8Array;
  termStarts: Uint32Array;
  postings: PackedPostings;
  lenH: Float32Array;
  lenB: Float32Array;
}

/** The buffers of `parts`, for the transfer list of the message that carries them. */
export function lexicalTransferList(parts: LexicalParts): ArrayBuffer[] {
  const { termBytes, termStarts, postings, lenH, lenB } = parts;
  return [termBytes, termStarts, postings.offsets, postings.df, postings.bytes, lenH, lenB].map(
    (a) => a.buffer as ArrayBuffer,
  );
}

/** An inverted index over passages with BM25F scoring across a heading and a body field. */
export class LexicalIndex {
  /** Bytes of decoded postings (6 per posting, 8 past 65,535 passages) each index built or loaded afterwards may hold; 0 decodes none. */
  static decodedBudget = 32 * 1024 * 1024;

  /** Per passage, weight ÷ length normalisation of each field, so scoring a posting needs no division. */
  private readonly headingFactor: Float64Array;
  private readonly bodyFactor: Float64Array;

  private constructor(
    /** Number of indexed passages. */
    readonly size: number,
    private readonly dictionary: TermDictionary,
    private readonly postings: PackedPostings,
    private readonly lenH: Float32Array,
    private readonly lenB: Float32Array,
    private readonly avgH: number,
    private readonly avgB: number,
    readonly params: Bm25Params,
  ) {
    this.headingFactor = fieldFactors(lenH, avgH, params.bHeading, params.wHeading);
    this.bodyFactor = fieldFactors(lenB, avgB, params.bBody, params.wBody);
    this.decodeCommonTerms();
  }

  /** Builds the index; passage i of the input gets item number i. */
  static build(
    inputs: readonly LexicalInput[],
    params: Bm25Params = DEFAULT_BM25,
    onProgress?: (done: number, total: number) => void,
  ): LexicalIndex {
    return LexicalIndex.fromParts(LexicalIndex.buildParts(inputs, params, onProgress));
  }

  /**
   * What build() computes, as plain typed arrays: a worker thread builds these and transfers
   * their buffers to the thread that serves the index (see word-indexes-worker.ts), which only has to
   * wrap them with fromParts().
   */
  static buildParts(
    inputs: readonly LexicalInput[],
    params: Bm25Params = DEFAULT_BM25,
    onProgress?: (done: number, total: number) => void,
  ): LexicalParts {
    const termIds = new Map<string, number>();
    const log = new PostingLog();
    const lenH = new Float32Array(inputs.length);
    const lenB = new Float32Array(inputs.length);
    const counts = new PassageCounts();
    // Consecutive passages of one document share their heading: analyse it once.
    let lastHeading: string | null = null;
    let headingIds = new Uint32Array(0);
    let headingLength = 0;
    inputs.forEach((input, item) => {
      if (input.heading !== lastHeading) {
        lastHeading = input.heading;
        const { accented, folded } = analyze(input.heading);
        headingIds = Uint32Array.from([...accented, ...folded], (term) => idOf(termIds, term));
        headingLength = (accented.length + folded.length) / 2;
      }
      for (const id of headingIds) counts.add(id, 1);
      lenH[item] = headingLength;
      const body = analyze(input.body);
      for (const term of body.accented) counts.add(idOf(termIds, term), 1 << 16);
      for (const term of body.folded) counts.add(idOf(termIds, term), 1 << 16);
      lenB[item] = (body.accented.length + body.folded.length) / 2;
      counts.flush(item, log);
      if (onProgress && item % 1000 === 999) onProgress(item + 1, inputs.length);
    });
    const { dictionary, rankOf } = TermDictionary.fromTerms([...termIds.keys()]);
    termIds.clear();
    const { bytes: termBytes, starts: termStarts } = dictionary;
    return { size: inputs.length, params, termBytes, termStarts, postings: log.pack(rankOf), lenH, lenB };
  }

  /** The index over parts made by buildParts(), in this thread or another. */
  static fromParts(parts: LexicalParts): LexicalIndex {
    const { size, params, termBytes, termStarts, postings, lenH, lenB } = parts;
    return new LexicalIndex(
      size,
      new TermDictionary(termBytes, termStarts),
      postings,
      lenH,
      lenB,
      mean(lenH),
      mean(lenB),
      params,
    );
  }

  /**
   * The index of `base`'s passages followed by `inputs` (items base.size, base.size + 1, …), the
   * same as building over all of them, but only the new passages are analysed: the two
   * dictionaries are merged in byte order and each term's new postings are appended to its old
   * ones, the first gap re-coded from the old last passage. Used when a re-index only adds documents.
   */
  static append(
    base: LexicalIndex,
    inputs: readonly LexicalInput[],
    onProgress?: (done: number, total: number) => void,
  ): LexicalIndex {
    const delta = LexicalIndex.build(inputs, base.params, onProgress);
    const n0 = base.size;
    const { dictionary, fromA, fromB } = TermDictionary.merge(base.dictionary, delta.dictionary);
    const pa = base.postings;
    const pb = delta.postings;
    const terms = dictionary.size;
    const offsets = new Uint32Array(terms + 1);
    const df = new Uint32Array(terms);
    // The new postings grow by at most a few bytes per term (the re-coded first gap).
    const bytes = new Uint8Array(pa.bytes.length + pb.bytes.length + 5 * delta.dictionary.size);
    let at = 0;
    for (let k = 0; k < terms; k++) {
      offsets[k] = at;
      const i = fromA[k]!;
      const j = fromB[k]!;
      let last = -1;
      if (i >= 0) {
        bytes.set(pa.bytes.subarray(pa.offsets[i]!, pa.offsets[i + 1]!), at);
        at += pa.offsets[i + 1]! - pa.offsets[i]!;
        last = lastItem(pa.bytes, pa.offsets[i]!, pa.df[i]!);
        df[k] = pa.df[i]!;
      }
      if (j >= 0) {
        at = appendPostings(bytes, at, pb.bytes, pb.offsets[j]!, pb.offsets[j + 1]!, n0, last);
        df[k] = df[k]! + pb.df[j]!;
      }
    }
    offsets[terms] = at;
    const lenH = new Float32Array(n0 + delta.size);
    lenH.set(base.lenH);
    lenH.set(delta.lenH, n0);
    const lenB = new Float32Array(n0 + delta.size);
    lenB.set(base.lenB);
    lenB.set(delta.lenB, n0);
    return new LexicalIndex(
      n0 + delta.size,
      dictionary,
      { offsets, df, bytes: bytes.slice(0, at) },
      lenH,
      lenB,
      mean(lenH),
      mean(lenB),
      base.params,
    );
  }

  /** Number of distinct terms (both key spaces). */
  get vocabularySize(): number {
    return this.dictionary.size;
  }

  /** Number of passages containing a term (0 when unknown). */
  documentFrequency(term: string): number {
    const id = this.termId(term);
    return id < 0 ? 0 : this.postings.df[id]!;
  }

  /**
   * Term ids already looked up. Queries repeat the same common terms, and a dictionary lookup
   * UTF-8-encodes the term and binary-searches the packed bytes; bounded, cleared when full
   * (about 60 bytes a term: 29,000 terms after 4,000 tthc questions held 1.7 MB).
   */
  private readonly ids = new Map<string, number>();
  private idHits = 0;
  private idMisses = 0;

  /**
   * Decoded postings of the most common terms, by term id. A few hundred terms ("thủ tục", "hồ
   * sơ", "cấp", "giấy", their folded forms) carry most of the postings every query reads; scoring
   * them from plain arrays skips the varint decoding and the per-posting BM25F arithmetic, which
   * was a third of a chat turn. Filled once, most common first, up to `decodedBudget` bytes.
   */
  private readonly decoded = new Map<number, DecodedTerm>();
  private decodedBytes = 0;

  /**
   * A question typed with diacritics asks each of its words twice: the accented term (weight w)
   * and its folded twin (weight w · ratio), and for common words the two lists are nearly the
   * same passages. Per decoded accented term whose folded twin is decoded too: the union of both
   * lists with impact a + ratio · f, so such a pair is read once (a third fewer postings for a
   * tthc question). Made by `pairFoldedTwins` for one ratio; by accented term id.
   */
  private twins = {
    ratio: NaN,
    byId: new Map<number, DecodedTerm>(),
    folded: new Map<number, number>(),
    bytes: 0,
  };

  /** Size of the decoded postings (the folded-twin unions included), for /metrics. */
  decodedStats(): { terms: number; bytes: number; budget: number } {
    return {
      terms: this.decoded.size + this.twins.byId.size,
      bytes: this.decodedBytes + this.twins.bytes,
      budget: LexicalIndex.decodedBudget,
    };
  }

  /**
   * Prepares the folded-twin unions (see `twins`) for a query whose folded terms weigh `ratio`
   * times their accented form; `accumulate` uses them for pairs with exactly that ratio. Their
   * bytes (about half the decoded budget again) are counted apart from the budget.
   */
  pairFoldedTwins(ratio: number): void {
    if (ratio === this.twins.ratio) return;
    const wide = this.size > 0xffff;
    const byId = new Map<number, DecodedTerm>();
    const folded = new Map<number, number>();
    let bytes = 0;
    for (const [id, accented] of this.decoded) {
      const term = this.dictionary.term(id);
      if (term.startsWith(FOLDED)) continue;
      const twinId = this.termId(FOLDED + fold(term));
      const twin = twinId >= 0 && twinId !== id ? this.decoded.get(twinId) : undefined;
      if (!twin) continue;
      const union = mergeDecoded(accented, twin, ratio, wide);
      byId.set(id, union);
      folded.set(id, twinId);
      bytes += union.items.length * (wide ? 8 : 6);
    }
    this.twins = { ratio, byId, folded, bytes };
  }

  private decodeCommonTerms(): void {
    const { df } = this.postings;
    const common: number[] = [];
    for (let id = 0; id < df.length; id++) if (df[id]! >= DECODED_MIN_DF) common.push(id);
    common.sort((a, b) => df[b]! - df[a]! || a - b);
    const k1 = this.params.k1;
    const wide = this.size > 0xffff;
    for (const id of common) {
      const bytes = df[id]! * (wide ? 8 : 6);
      if (this.decodedBytes + bytes > LexicalIndex.decodedBudget) continue;
      const items = wide ? new Uint32Array(df[id]!) : new Uint16Array(df[id]!);
      const impacts = new Float32Array(df[id]!);
      const idf = this.idf(df[id]!);
      let i = 0;
      this.forEachPosting(id, (item, tf) => {
        items[i] = item;
        impacts[i++] = (idf * tf * (k1 + 1)) / (tf + k1);
      });
      this.decoded.set(id, { items, impacts });
      this.decodedBytes += bytes;
    }
  }

  private idf(df: number): number {
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** Each posting of a term (format in postings.ts): its passage and its weighted term frequency (heading and body). */
  private forEachPosting(id: number, visit: (item: number, tf: number) => void): void {
    const { offsets, bytes } = this.postings;
    const { headingFactor, bodyFactor } = this;
    let at = offsets[id]!;
    const end = offsets[id + 1]!;
    let item = -1;
    while (at < end) {
      let byte = bytes[at++]!;
      // Nine gaps in ten fit one byte; the loop only runs for the rest.
      if (byte < 0x80) item += byte;
      else {
        let gap = byte & 0x7f;
        for (let shift = 7; byte & 0x80; shift += 7) {
          byte = bytes[at++]!;
          gap |= (byte & 0x7f) << shift;
        }
        item += gap;
      }
      // tfHeading · heading factor + tfBody · body factor; a heading frequency of 0 adds an exact
      // +0, so most postings (body only) skip that product with the same result.
      const packed = bytes[at++]!;
      let tf: number;
      if (packed > 15) tf = (packed >>> 4) * headingFactor[item]! + (packed & 15) * bodyFactor[item]!;
      else if (packed !== 0) tf = packed * bodyFactor[item]!;
      else {
        tf = bytes[at]! * headingFactor[item]! + bytes[at + 1]! * bodyFactor[item]!;
        at += 2;
      }
      visit(item, tf);
    }
  }

  private termId(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      this.idMisses++;
      if (this.ids.size >= TERM_CACHE) this.ids.clear();
      id = this.dictionary.id(term);
      this.ids.set(term, id);
    } else this.idHits++;
    return id;
  }

  /** Use and size of the term id cache since the index was loaded. */
  termCacheStats(): CacheStats {
    return { hits: this.idHits, misses: this.idMisses, entries: this.ids.size, capacity: TERM_CACHE };
  }

  /**
   * Adds the BM25F score of each query term to `scores` (one slot per passage, zero for passages
   * no term reaches), term by term in the order given, so each slot sums in a fixed order.
   */
  accumulate(terms: readonly QueryTerm[], scores: Float32Array): void {
    const { k1 } = this.params;
    const k1plus1 = k1 + 1;
    const dfs = this.postings.df;
    const ids = terms.map((t) => this.termId(t.term));
    // By position in `terms`: an accented term read through its union list (see `twins`) → its
    // twin's position; the twin → −1, already read.
    const paired = this.twins.byId.size > 0 ? this.pairedTwins(terms, ids) : null;
    for (let t = 0; t < terms.length; t++) {
      const { weight } = terms[t]!;
      const id = ids[t]!;
      if (id < 0) continue;
      const df = dfs[id]!;
      const twin = paired?.get(t);
      if (twin === -1) continue;
      const decoded =
        twin !== undefined
          ? this.twins.byId.get(id)
          : df >= DECODED_MIN_DF
            ? this.decoded.get(id)
            : undefined;
      if (decoded) {
        const { items, impacts } = decoded;
        for (let i = 0; i < items.length; i++) scores[items[i]!] = scores[items[i]!]! + weight * impacts[i]!;
        continue;
      }
      // Rarer terms, a small share of the postings a query reads, are decoded as they come.
      const idf = this.idf(df) * weight;
      this.forEachPosting(id, (item, tf) => {
        scores[item] = scores[item]! + (idf * tf * k1plus1) / (tf + k1);
      });
    }
  }

  /**
   * Positions of the terms read through a folded-twin union: the accented term (→ its twin's
   * position) and its folded twin (→ −1, skipped), when the twin weighs exactly ratio × the
   * accented term's weight (a folded term raised by another word keeps its own list).
   */
  private pairedTwins(terms: readonly QueryTerm[], ids: readonly number[]): Map<number, number> | null {
    const { folded, ratio } = this.twins;
    let at: Map<number, number> | null = null;
    let out: Map<number, number> | null = null;
    for (let t = 0; t < terms.length; t++) {
      const twinId = folded.get(ids[t]!);
      if (twinId === undefined) continue;
      if (!at) {
        at = new Map();
        ids.forEach((id, i) => at!.set(id, i));
      }
      const u = at.get(twinId);
      if (u === undefined || out?.has(u)) continue;
      const w = terms[t]!.weight * ratio;
      if (Math.abs(terms[u]!.weight - w) > 1e-12 * w) continue;
      out ??= new Map();
      out.set(t, u);
      out.set(u, -1);
    }
    return out;
  }

  /** Writes `lexical.json` (counts, parameters) and `lexical.bin` (terms, postings, lengths) into a folder. */
  async save(dir: string): Promise<void> {
    const arrays = this.arrays();
    const header = {
      format: FORMAT,
      size: this.size,
      params: this.params,
      avgH: this.avgH,
      avgB: this.avgB,
      lengths: arrays.map((a) => a.length),
    };
    await writeFile(path.join(dir, 'lexical.json'), JSON.stringify(header));
    await writeFile(path.join(dir, 'lexical.bin'), packArrays(arrays));
  }

  /** The typed arrays of the index in file order. */
  private arrays(): BinaryArray[] {
    const { dictionary: d, postings: p } = this;
    return [d.bytes, d.starts, p.offsets, p.df, p.bytes, this.lenH, this.lenB];
  }

  /** Reads an index written by save(); throws AppError('snapshot_invalid') when the files disagree. */
  static async load(dir: string): Promise<LexicalIndex> {
    const jsonPath = path.join(dir, 'lexical.json');
    try {
      const header = JSON.parse(await readFile(jsonPath, 'utf8')) as {
        format: number;
        size: number;
        params: Bm25Params;
        avgH: number;
        avgB: number;
        lengths: number[];
      };
      if (header.format !== FORMAT) {
        throw new Error(
          `lexical format ${header.format} is not ${FORMAT}; rebuild the index (npm run ingest -- --rebuild)`,
        );
      }
      const file = new ArrayReader(await readFile(path.join(dir, 'lexical.bin')));
      const [nTermBytes, nStarts, nOffsets, nDf, nPost, nLen] = header.lengths as [
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      const dictionary = new TermDictionary(
        file.take(Uint8Array, nTermBytes),
        file.take(Uint32Array, nStarts),
      );
      const postings = {
        offsets: file.take(Uint32Array, nOffsets),
        df: file.take(Uint32Array, nDf),
        bytes: file.take(Uint8Array, nPost),
      };
      const lenH = file.take(Float32Array, nLen);
      const lenB = file.take(Float32Array, nLen);
      const consistent =
        file.done &&
        dictionary.isConsistent() &&
        postings.offsets.length === dictionary.size + 1 &&
        postings.df.length === dictionary.size &&
        postings.offsets[dictionary.size] === postings.bytes.length &&
        lenH.length === header.size;
      if (!consistent) throw new Error('postings file does not match its header');
      return new LexicalIndex(
        header.size,
        dictionary,
        postings,
        lenH,
        lenB,
        header.avgH,
        header.avgB,
        header.params,
      );
    } catch (err) {
      throw new AppError('snapshot_invalid', `${jsonPath}: cannot load the lexical index`, { cause: err });
    }
  }
}

/** The union of two decoded lists (each in passage order), impact a + ratio · b where both have the passage. */
function mergeDecoded(a: DecodedTerm, b: DecodedTerm, ratio: number, wide: boolean): DecodedTerm {
  const n = a.items.length + b.items.length;
  const items = wide ? new Uint32Array(n) : new Uint16Array(n);
  const impacts = new Float32Array(n);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.items.length || j < b.items.length) {
    const x = i < a.items.length ? a.items[i]! : Infinity;
    const y = j < b.items.length ? b.items[j]! : Infinity;
    items[k] = Math.min(x, y);
    impacts[k++] = (x <= y ? a.impacts[i++]! : 0) + (y <= x ? ratio * b.impacts[j++]! : 0);
  }
  return { items: items.slice(0, k), impacts: impacts.slice(0, k) };
}

/** The id of a term, numbered in order of first sight. */
function idOf(termIds: Map<string, number>, term: string): number {
  let id = termIds.get(term);
  if (id === undefined) {
    id = termIds.size;
    termIds.set(term, id);
  }
  return id;
}

/** Term frequencies of one passage by term id, packed: heading in the low 16 bits, body above. */
class PassageCounts {
  private counts = new Uint32Array(1 << 16);
  private readonly ids: number[] = [];

  /** Counts one occurrence in the heading (unit 1) or the body (unit 1 << 16), up to COUNT_LIMIT per field. */
  add(id: number, unit: number): void {
    if (id >= this.counts.length) {
      const grown = new Uint32Array(Math.max(this.counts.length * 2, id + 1));
      grown.set(this.counts);
      this.counts = grown;
    }
    const packed = this.counts[id]!;
    if (packed === 0) this.ids.push(id);
    const field = unit === 1 ? packed & 0xffff : packed >>> 16;
    if (field < COUNT_LIMIT) this.counts[id] = packed + unit;
  }

  /** Logs the passage's postings and clears the counts. */
  flush(item: number, log: PostingLog): void {
    for (const id of this.ids) {
      const packed = this.counts[id]!;
      log.add(id, item, packed & 0xffff, packed >>> 16);
      this.counts[id] = 0;
    }
    this.ids.length = 0;
  }
}

/** w / (1 − b + b · length / average length) for each passage: BM25F's per-field scaling. */
function fieldFactors(lengths: Float32Array, average: number, b: number, w: number): Float64Array {
  const out = new Float64Array(lengths.length);
  lengths.forEach((len, i) => (out[i] = w / (1 - b + (b * len) / (average || 1))));
  return out;
}

function mean(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : 0;
}
