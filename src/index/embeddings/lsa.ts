import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { ArrayReader, packArrays } from '../binary.js';
import { analyze } from '../lexical/analyzer.js';
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
  return analyze(text).folded;
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
function tfidf(terms: readonly string[], idOf: (term: string) => number, idf: Float32Array): Map<number, number> {
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

/** The TF-IDF rows of tokenised passages. */
function tfidfMatrix(docs: readonly string[][], idOf: (term: string) => number, idf: Float32Array): Csr {
  const ptr = new Uint32Array(docs.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  docs.forEach((terms, i) => {
    for (const [id, w] of tfidf(terms, idOf, idf)) {
      idx.push(id);
      val.push(w);
    }
    ptr[i + 1] = idx.length;
  });
  return { rows: docs.length, cols: idf.length, ptr, idx: Uint32Array.from(idx), val: Float32Array.from(val) };
}

/** Terms kept for the model: in at least 2 passages (of 50 or more) and at most half, most frequent first. */
function chooseVocabulary(docs: readonly string[][]): { vocabulary: string[]; df: Map<string, number> } {
  const df = new Map<string, number>();
  for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, docs.length);
  const minDf = n >= 50 ? 2 : 1;
  const vocabulary = [...df]
    .filter(([, c]) => c >= minDf && c <= Math.max(1, n * 0.5))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_VOCABULARY)
    .map(([t]) => t);
  return { vocabulary, df };
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
  static fit(texts: readonly string[], dimension = DEFAULT_LSA_DIMENSION, powerIterations = 1): LsaEmbeddings {
    const docs = texts.map(termsOf);
    const { vocabulary, df } = chooseVocabulary(docs);
    if (vocabulary.length === 0) throw new AppError('embedder_unavailable', 'LSA: the corpus has no usable terms');
    const n = Math.max(1, docs.length);
    const idf = Float32Array.from(vocabulary, (t) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1);
    const position = new Map(vocabulary.map((t, i) => [t, i]));
    const a = tfidfMatrix(docs, (t) => position.get(t) ?? -1, idf);
    const k = Math.max(1, Math.min(dimension, a.rows - 1, a.cols - 1));
    const basis = projectionBasis(a, k, powerIterations, SEED);
    // Renumber terms by dictionary rank, the order the model is saved and loaded in.
    const { dictionary, rankOf } = TermDictionary.fromTerms(vocabulary);
    const rankedIdf = new Float32Array(idf.length);
    rankOf.forEach((rank, i) => (rankedIdf[rank] = idf[i]!));
    const rankByTerm = new Map(vocabulary.map((t, i) => [t, rankOf[i]!]));
    return new LsaEmbeddings(dictionary, rankedIdf, quantize(basis, k, rankOf), k, (t) => rankByTerm.get(t) ?? -1);
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
      throw new AppError('snapshot_invalid', `${jsonPath}: cannot read the LSA model (${(err as Error).message})`);
    }
    const { version, dimension, terms, termBytes } = meta;
    if (version !== VERSION) throw new AppError('snapshot_invalid', `${jsonPath}: not a version ${VERSION} LSA model`);
    try {
      const dictionary = new TermDictionary(file.take(Uint8Array, termBytes), file.take(Uint32Array, terms + 1));
      const idf = file.take(Float32Array, terms);
      const basis = { scales: file.take(Float32Array, terms), values: file.take(Int8Array, terms * dimension) };
      if (!file.done || !dictionary.isConsistent()) throw new Error('the file is longer than its header says');
      return new LsaEmbeddings(dictionary, idf, basis, dimension, (t) => dictionary.id(t));
    } catch (err) {
      throw new AppError('snapshot_invalid', `${binPath}: ${(err as Error).message}`);
    }
  }

  async saveState(dir: string): Promise<void> {
    const { dictionary: d, idf, basis } = this;
    const meta = { version: VERSION, dimension: this.dimension, terms: d.size, termBytes: d.bytes.length };
    await writeFile(path.join(dir, 'lsa.json'), JSON.stringify(meta));
    await writeFile(path.join(dir, 'lsa.bin'), packArrays([d.bytes, d.starts, idf, basis.scales, basis.values]));
  }

  /** Embeds one text: unit-length projection of its TF-IDF vector. */
  embed(text: string): number[] {
    const k = this.dimension;
    const { values, scales } = this.basis;
    const v = new Float64Array(k);
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
