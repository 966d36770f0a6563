import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { ArrayReader, packArrays } from '../binary.js';
import { analyzeFolded } from '../lexical/analyzer.js';
import { TermDictionary } from '../lexical/term-dictionary.js';
import { l2normalize, ProjectEmbeddings, type EmbedderInfo } from './base.js';
import { projectionBasis, type Csr } from './linalg.js';

export const DEFAULT_LSA_DIMENSION = 128;
const MAX_VOCABULARY = 60_000;
const SEED = 20240611;
/** Version of the saved model, part of the embedder id: 2 stores the basis in 8 bits. */
const VERSION = 2;
/** Prefix of the ids of this embedder ("lsa-v2-128"). */
export const LSA_ID_PREFIX = `lsa-v${VERSION}-`;

/** Folded syllables and bigrams of a text: the LSA vocabulary space (diacritic-insensitive). */
function termsOf(text: string): string[] {
  return analyzeFolded(text);
}

/**
 * Term vectors quantised to 8 bits a component with one scale per term: a quarter of the Float32
 * size (6 MB instead of 24 MB for the tthc vocabulary at 128 dimensions); the rounding error,
 * under 0.4 % of a term's largest component, is far below what reorders neighbours.
 */
interface QuantizedBasis {
  values: Int8Array;
  scales: Float32Array;
}

/** Quantises rows of a row-major basis, writing row i of the input as row `rowOf[i]`. */
function quantize(basis: Float32Array, k: number, rowOf: Uint32Array): QuantizedBasis {
  const rows = rowOf.length;
  const values = new Int8Array(rows * k);
  const scales = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const from = i * k;
    let max = 0;
    for (let j = 0; j < k; j++) max = Math.max(max, Math.abs(basis[from + j]!));
    const row = rowOf[i]!;
    scales[row] = max / 127;
    if (max === 0) continue;
    for (let j = 0; j < k; j++) values[row * k + j] = Math.round((basis[from + j]! * 127) / max);
  }
  return { values, scales };
}

/** Log-scaled TF × IDF of the known terms of a text, unit length, by term id. */
function tfidf(
  terms: readonly string[],
  idOf: (term: string) => number,
  idf: Float32Array,
): Map<number, number> {
  const tf = new Map<number, number>();
  for (const t of terms) {
    const id = idOf(t);
    if (id >= 0) tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  let norm = 0;
  for (const [id, c] of tf) {
    const w = (1 + Math.log(c)) * idf[id]!;
    tf.set(id, w);
    norm += w * w;
  }
  if (norm > 0) for (const [id, w] of tf) tf.set(id, w / Math.sqrt(norm));
  return tf;
}

/** Growable typed array of 32-bit numbers. */
class IntList {
  values = new Int32Array(1 << 16);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = v;
  }
}

/**
 * Passages as sequences of term numbers: each distinct term is numbered as first met, so the
 * passages are analysed once and their terms held as integers rather than strings.
 */
interface NumberedPassages {
  /** Term of each number. */
  terms: string[];
  /** Term numbers of all passages back to back; passage i is [starts[i], starts[i + 1]). */
  sequence: Int32Array;
  starts: Uint32Array;
}

function numberTerms(texts: readonly string[]): NumberedPassages {
  const numbers = new Map<string, number>();
  const terms: string[] = [];
  const sequence = new IntList();
  const starts = new Uint32Array(texts.length + 1);
  texts.forEach((text, i) => {
    for (const t of termsOf(text)) {
      let id = numbers.get(t);
      if (id === undefined) {
        id = terms.length;
        numbers.set(t, id);
        terms.push(t);
      }
      sequence.push(id);
    }
    starts[i + 1] = sequence.length;
  });
  return { terms, sequence: sequence.values.subarray(0, sequence.length), starts };
}

/**
 * The TF-IDF rows of the passages (as tfidf() computes them: terms in order of first occurrence,
 * log-scaled counts, unit length), with `position` giving each term number's column or -1. The
 * weights are also returned unrounded, in the order of `idx`, for embedding the same passages.
 */
function tfidfMatrix(
  p: NumberedPassages,
  position: Int32Array,
  idf: Float32Array,
): { matrix: Csr; weights: Float64Array } {
  const rows = p.starts.length - 1;
  const ptr = new Uint32Array(rows + 1);
  const idx = new IntList();
  let weights = new Float64Array(1 << 16);
  const count = new Uint32Array(idf.length);
  const order: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < rows; i++) {
    order.length = 0;
    for (let q = p.starts[i]!; q < p.starts[i + 1]!; q++) {
      const col = position[p.sequence[q]!]!;
      if (col < 0) continue;
      if (count[col] === 0) order.push(col);
      count[col] = count[col]! + 1;
    }
    w.length = 0;
    let norm = 0;
    for (const col of order) {
      const x = (1 + Math.log(count[col]!)) * idf[col]!;
      w.push(x);
      norm += x * x;
      count[col] = 0;
    }
    if (norm > 0) for (let j = 0; j < w.length; j++) w[j] = w[j]! / Math.sqrt(norm);
    if (idx.length + w.length > weights.length) {
      const grown = new Float64Array(Math.max(weights.length * 2, idx.length + w.length));
      grown.set(weights);
      weights = grown;
    }
    for (let j = 0; j < order.length; j++) {
      weights[idx.length] = w[j]!;
      idx.push(order[j]!);
    }
    ptr[i + 1] = idx.length;
  }
  const nnz = idx.length;
  const matrix = {
    rows,
    cols: idf.length,
    ptr,
    idx: new Uint32Array(idx.values.buffer, 0, nnz).slice(),
    val: Float32Array.from(weights.subarray(0, nnz)),
  };
  return { matrix, weights: weights.slice(0, nnz) };
}

/**
 * Terms kept for the model (as term numbers): in at least 2 passages (of 50 or more) and at most
 * half, most frequent first, then in term order; with each term number's passage count.
 */
function chooseVocabulary(p: NumberedPassages): { vocabulary: number[]; df: Uint32Array } {
  const df = new Uint32Array(p.terms.length);
  const lastPassage = new Int32Array(p.terms.length).fill(-1);
  const rows = p.starts.length - 1;
  for (let i = 0; i < rows; i++) {
    for (let q = p.starts[i]!; q < p.starts[i + 1]!; q++) {
      const id = p.sequence[q]!;
      if (lastPassage[id] !== i) {
        lastPassage[id] = i;
        df[id] = df[id]! + 1;
      }
    }
  }
  const n = Math.max(1, rows);
  const minDf = n >= 50 ? 2 : 1;
  const kept: number[] = [];
  for (let id = 0; id < df.length; id++)
    if (df[id]! >= minDf && df[id]! <= Math.max(1, n * 0.5)) kept.push(id);
  const { terms } = p;
  kept.sort((a, b) => df[b]! - df[a]! || (terms[a]! < terms[b]! ? -1 : 1));
  return { vocabulary: kept.slice(0, MAX_VOCABULARY), df };
}

/**
 * The TF-IDF rows of the passages a model was fitted on, by passage text: a build embeds exactly
 * those passages next, and this spares analysing them a second time. Each row is consumed once.
 */
interface FittedRows {
  rowOf: Map<string, number>;
  ptr: Uint32Array;
  /** Term id (dictionary rank) and weight of each entry. */
  ids: Uint32Array;
  weights: Float64Array;
}

/**
 * Latent semantic analysis trained on the corpus at index time: TF-IDF over folded syllables and
 * bigrams, truncated SVD by randomized range finding. A passage or question is embedded as its
 * TF-IDF vector projected on the top right singular vectors (the document coordinates U·Σ),
 * unit length. Needs no download; it adds synonymy the lexical side cannot see.
 */
export class LsaEmbeddings extends ProjectEmbeddings {
  private constructor(
    /** Vocabulary; term ids are its ranks. */
    private readonly dictionary: TermDictionary,
    private readonly idf: Float32Array,
    /** Term vectors, vocabulary × dimension, row-major, by term id. */
    private readonly basis: QuantizedBasis,
    readonly dimension: number,
    /** Term id lookup: a Map while a build embeds every passage, the dictionary once loaded. */
    private readonly idOf: (term: string) => number,
  ) {
    super();
  }

  get info(): EmbedderInfo {
    return { id: `${LSA_ID_PREFIX}${this.dimension}`, dimension: this.dimension };
  }

  /** Fits the model on passages; the dimension shrinks when the corpus is too small to support it. */
  static fit(
    texts: readonly string[],
    dimension = DEFAULT_LSA_DIMENSION,
    powerIterations = 1,
  ): LsaEmbeddings {
    const passages = numberTerms(texts);
    const { vocabulary: chosen, df } = chooseVocabulary(passages);
    if (chosen.length === 0)
      throw new AppError('embedder_unavailable', 'LSA: the corpus has no usable terms');
    const vocabulary = chosen.map((id) => passages.terms[id]!);
    const n = Math.max(1, texts.length);
    const idf = Float32Array.from(chosen, (id) => Math.log((n + 1) / (df[id]! + 1)) + 1);
    const position = new Int32Array(passages.terms.length).fill(-1);
    chosen.forEach((id, i) => (position[id] = i));
    const { matrix: a, weights } = tfidfMatrix(passages, position, idf);
    const k = Math.max(1, Math.min(dimension, a.rows - 1, a.cols - 1));
    const basis = projectionBasis(a, k, powerIterations, SEED);
    // Renumber terms by dictionary rank, the order the model is saved and loaded in.
    const { dictionary, rankOf } = TermDictionary.fromTerms(vocabulary);
    const rankedIdf = new Float32Array(idf.length);
    rankOf.forEach((rank, i) => (rankedIdf[rank] = idf[i]!));
    const rankByTerm = new Map(vocabulary.map((t, i) => [t, rankOf[i]!]));
    const model = new LsaEmbeddings(
      dictionary,
      rankedIdf,
      quantize(basis, k, rankOf),
      k,
      (t) => rankByTerm.get(t) ?? -1,
    );
    const rowOf = new Map<string, number>();
    texts.forEach((t, i) => {
      if (!rowOf.has(t)) rowOf.set(t, i);
    });
    model.fitted = { rowOf, ptr: a.ptr, ids: a.idx.map((col) => rankOf[col]!), weights };
    return model;
  }

  /** TF-IDF rows of the passages the model was fitted on, until they are embedded or released. */
  private fitted: FittedRows | null = null;

  /** Forgets the fitted passages' rows (a build calls this once it has embedded them). */
  releaseFittedRows(): void {
    this.fitted = null;
  }

  /** Reads a model saved by saveState(). */
  static async load(dir: string): Promise<LsaEmbeddings> {
    const jsonPath = path.join(dir, 'lsa.json');
    const binPath = path.join(dir, 'lsa.bin');
    let meta: { version: number; dimension: number; terms: number; termBytes: number };
    let file: ArrayReader;
    try {
      meta = JSON.parse(await readFile(jsonPath, 'utf8')) as typeof meta;
      file = new ArrayReader(await readFile(binPath));
    } catch (err) {
      throw new AppError(
        'snapshot_invalid',
        `${jsonPath}: cannot read the LSA model (${(err as Error).message})`,
      );
    }
    const { version, dimension, terms, termBytes } = meta;
    if (version !== VERSION)
      throw new AppError('snapshot_invalid', `${jsonPath}: not a version ${VERSION} LSA model`);
    try {
      const dictionary = new TermDictionary(
        file.take(Uint8Array, termBytes),
        file.take(Uint32Array, terms + 1),
      );
      const idf = file.take(Float32Array, terms);
      const basis = {
        scales: file.take(Float32Array, terms),
        values: file.take(Int8Array, terms * dimension),
      };
      if (!file.done || !dictionary.isConsistent())
        throw new Error('the file is longer than its header says');
      return new LsaEmbeddings(dictionary, idf, basis, dimension, (t) => dictionary.id(t));
    } catch (err) {
      throw new AppError('snapshot_invalid', `${binPath}: ${(err as Error).message}`);
    }
  }

  async saveState(dir: string): Promise<void> {
    const { dictionary: d, idf, basis } = this;
    const meta = { version: VERSION, dimension: this.dimension, terms: d.size, termBytes: d.bytes.length };
    await writeFile(path.join(dir, 'lsa.json'), JSON.stringify(meta));
    await writeFile(
      path.join(dir, 'lsa.bin'),
      packArrays([d.bytes, d.starts, idf, basis.scales, basis.values]),
    );
  }

  /** Embeds one text: unit-length projection of its TF-IDF vector. */
  embed(text: string): number[] {
    const k = this.dimension;
    const { values, scales } = this.basis;
    const v = new Float64Array(k);
    const row = this.fitted?.rowOf.get(text);
    if (row !== undefined) {
      // A passage the model was fitted on: its row is the tfidf() of its terms, in the same order.
      const { ptr, ids, weights, rowOf } = this.fitted!;
      for (let p = ptr[row]!; p < ptr[row + 1]!; p++) {
        const id = ids[p]!;
        const o = id * k;
        const ws = weights[p]! * scales[id]!;
        for (let j = 0; j < k; j++) v[j] = v[j]! + ws * values[o + j]!;
      }
      rowOf.delete(text);
      if (rowOf.size === 0) this.fitted = null;
      return Array.from(l2normalize(v));
    }
    for (const [id, w] of tfidf(termsOf(text), this.idOf, this.idf)) {
      const o = id * k;
      const ws = w * scales[id]!;
      for (let j = 0; j < k; j++) v[j] = v[j]! + ws * values[o + j]!;
    }
    return Array.from(l2normalize(v));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }
}
