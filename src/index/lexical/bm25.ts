import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { analyze, type AnalyzedText } from './analyzer.js';

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

const FORMAT = 1;
const MAX_TF = 65535;

/** Postings of one term during a build: interleaved (item, tfHeading, tfBody). */
type Building = number[];

/** An inverted index over passages with BM25F scoring across a heading and a body field. */
export class LexicalIndex {
  private constructor(
    /** Number of indexed passages. */
    readonly size: number,
    private readonly termIds: Map<string, number>,
    private readonly offsets: Uint32Array,
    private readonly postItem: Uint32Array,
    private readonly postTfH: Uint16Array,
    private readonly postTfB: Uint16Array,
    private readonly lenH: Float32Array,
    private readonly lenB: Float32Array,
    private readonly avgH: number,
    private readonly avgB: number,
    readonly params: Bm25Params,
  ) {}

  /** Builds the index; passage i of the input gets item number i. */
  static build(
    inputs: readonly LexicalInput[],
    params: Bm25Params = DEFAULT_BM25,
    onProgress?: (done: number, total: number) => void,
  ): LexicalIndex {
    const termIds = new Map<string, number>();
    const postings: Building[] = [];
    const lenH = new Float32Array(inputs.length);
    const lenB = new Float32Array(inputs.length);
    const local = new Map<number, number>();
    // Consecutive passages of one document share their heading: analyse it once.
    let lastHeading: string | null = null;
    let headingTerms = analyze('');
    inputs.forEach((input, item) => {
      local.clear();
      if (input.heading !== lastHeading) {
        lastHeading = input.heading;
        headingTerms = analyze(input.heading);
      }
      lenH[item] = countInto(headingTerms, termIds, postings, local, 1);
      lenB[item] = countInto(analyze(input.body), termIds, postings, local, 1 << 16);
      for (const [id, packed] of local) {
        postings[id]!.push(item, Math.min(packed & 0xffff, MAX_TF), Math.min(packed >>> 16, MAX_TF));
      }
      if (onProgress && item % 1000 === 999) onProgress(item + 1, inputs.length);
    });
    return LexicalIndex.pack(termIds, postings, lenH, lenB, params);
  }

  private static pack(
    termIds: Map<string, number>,
    postings: Building[],
    lenH: Float32Array,
    lenB: Float32Array,
    params: Bm25Params,
  ): LexicalIndex {
    const offsets = new Uint32Array(postings.length + 1);
    let total = 0;
    postings.forEach((p, i) => {
      offsets[i] = total;
      total += p.length / 3;
    });
    offsets[postings.length] = total;
    const postItem = new Uint32Array(total);
    const postTfH = new Uint16Array(total);
    const postTfB = new Uint16Array(total);
    postings.forEach((p, i) => {
      let at = offsets[i]!;
      for (let j = 0; j < p.length; j += 3, at++) {
        postItem[at] = p[j]!;
        postTfH[at] = p[j + 1]!;
        postTfB[at] = p[j + 2]!;
      }
    });
    return new LexicalIndex(
      lenH.length,
      termIds,
      offsets,
      postItem,
      postTfH,
      postTfB,
      lenH,
      lenB,
      mean(lenH),
      mean(lenB),
      params,
    );
  }

  /** Number of distinct terms (both key spaces). */
  get vocabularySize(): number {
    return this.termIds.size;
  }

  /** Number of passages containing a term (0 when unknown). */
  documentFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.offsets[id + 1]! - this.offsets[id]!;
  }

  /**
   * Adds the BM25F score of each query term to `scores` (one slot per passage) and returns the
   * passages touched, so callers can aggregate without scanning every slot.
   */
  accumulate(terms: readonly QueryTerm[], scores: Float32Array, touched: number[]): void {
    const { k1, bHeading, bBody, wHeading, wBody } = this.params;
    const n = this.size;
    for (const { term, weight } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const start = this.offsets[id]!;
      const end = this.offsets[id + 1]!;
      const df = end - start;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight;
      for (let at = start; at < end; at++) {
        const item = this.postItem[at]!;
        const normH = 1 - bHeading + (bHeading * this.lenH[item]!) / (this.avgH || 1);
        const normB = 1 - bBody + (bBody * this.lenB[item]!) / (this.avgB || 1);
        const tf = (wHeading * this.postTfH[at]!) / normH + (wBody * this.postTfB[at]!) / normB;
        if (scores[item] === 0) touched.push(item);
        scores[item] = scores[item]! + (idf * tf * (k1 + 1)) / (tf + k1);
      }
    }
  }

  /** Writes `lexical.json` (terms, parameters) and `lexical.bin` (postings) into a folder. */
  async save(dir: string): Promise<void> {
    const terms = new Array<string>(this.termIds.size);
    for (const [term, id] of this.termIds) terms[id] = term;
    const arrays = [this.offsets, this.postItem, this.postTfH, this.postTfB, this.lenH, this.lenB];
    const header = {
      format: FORMAT,
      size: this.size,
      params: this.params,
      avgH: this.avgH,
      avgB: this.avgB,
      lengths: arrays.map((a) => a.length),
      terms,
    };
    await writeFile(path.join(dir, 'lexical.json'), JSON.stringify(header));
    await writeFile(path.join(dir, 'lexical.bin'), Buffer.concat(arrays.map((a) => alignedBytes(a))));
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
        terms: string[];
      };
      if (header.format !== FORMAT) throw new Error(`unsupported lexical format ${header.format}`);
      const bin = await readFile(path.join(dir, 'lexical.bin'));
      const [nOff, nPost, , , nLen] = header.lengths as [number, number, number, number, number, number];
      // Copy into a fresh ArrayBuffer: Buffer pools may start at an unaligned offset.
      const b = new Uint8Array(bin).buffer;
      let at = 0;
      const takeFrom = <T>(ctor: new (b: ArrayBufferLike, o: number, n: number) => T, n: number, bytes: number) => {
        const arr = new ctor(b, at, n);
        at += Math.ceil((n * bytes) / 4) * 4;
        return arr;
      };
      const offsets = takeFrom(Uint32Array, nOff, 4);
      const postItem = takeFrom(Uint32Array, nPost, 4);
      const postTfH = takeFrom(Uint16Array, nPost, 2);
      const postTfB = takeFrom(Uint16Array, nPost, 2);
      const lenH = takeFrom(Float32Array, nLen, 4);
      const lenB = takeFrom(Float32Array, nLen, 4);
      if (at !== b.byteLength || offsets.length !== header.terms.length + 1) {
        throw new Error('postings file does not match its header');
      }
      const termIds = new Map<string, number>();
      header.terms.forEach((t, i) => termIds.set(t, i));
      return new LexicalIndex(
        header.size,
        termIds,
        offsets,
        postItem,
        postTfH,
        postTfB,
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

/** Tokenises a field and counts term frequencies into `local` (packed: heading in the low 16 bits). */
function countInto(
  { accented, folded }: AnalyzedText,
  termIds: Map<string, number>,
  postings: Building[],
  local: Map<number, number>,
  unit: number,
): number {
  let length = 0;
  for (const list of [accented, folded]) {
    for (const term of list) {
      let id = termIds.get(term);
      if (id === undefined) {
        id = postings.length;
        termIds.set(term, id);
        postings.push([]);
      }
      const packed = local.get(id) ?? 0;
      const field = unit === 1 ? packed & 0xffff : packed >>> 16;
      if (field < MAX_TF) local.set(id, packed + unit);
    }
    length += list.length;
  }
  return length / 2;
}

function mean(a: Float32Array): number {
  let s = 0;
  for (const v of a) s += v;
  return a.length ? s / a.length : 0;
}

/** Bytes of a typed array padded to a multiple of 4 so every array starts aligned. */
function alignedBytes(a: Uint32Array | Uint16Array | Float32Array): Buffer {
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const pad = (4 - (bytes.length % 4)) % 4;
  return pad ? Buffer.concat([bytes, Buffer.alloc(pad)]) : bytes;
}
