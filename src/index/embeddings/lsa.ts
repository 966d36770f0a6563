import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors.js';
import { analyze } from '../lexical/analyzer.js';
import { l2normalize, ProjectEmbeddings, type EmbedderInfo } from './base.js';

export const DEFAULT_LSA_DIMENSION = 128;
/** Extra random directions of the randomized SVD (Halko, Martinsson & Tropp 2011). */
const OVERSAMPLE = 16;
const MAX_VOCABULARY = 60_000;

/** Folded syllables and bigrams of a text: the LSA vocabulary space (diacritic-insensitive). */
function termsOf(text: string): string[] {
  return analyze(text).folded;
}

/** A seeded Gaussian generator (mulberry32 + Box–Muller), so builds are reproducible. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** Rows of TF-IDF weights in compressed sparse row form. */
interface Csr {
  rows: number;
  cols: number;
  ptr: Uint32Array;
  idx: Uint32Array;
  val: Float32Array;
}

/** Y (rows × l) = A · M, with M (cols × l) row-major. */
function multiply(a: Csr, m: Float64Array, l: number): Float64Array {
  const y = new Float64Array(a.rows * l);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let p = a.ptr[i]!; p < a.ptr[i + 1]!; p++) {
      const w = a.val[p]!;
      const mo = a.idx[p]! * l;
      for (let c = 0; c < l; c++) y[yo + c] = y[yo + c]! + w * m[mo + c]!;
    }
  }
  return y;
}

/** Z (cols × l) = Aᵀ · Y, with Y (rows × l) row-major. */
function multiplyTransposed(a: Csr, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(a.cols * l);
  for (let i = 0; i < a.rows; i++) {
    const yo = i * l;
    for (let p = a.ptr[i]!; p < a.ptr[i + 1]!; p++) {
      const w = a.val[p]!;
      const zo = a.idx[p]! * l;
      for (let c = 0; c < l; c++) z[zo + c] = z[zo + c]! + w * y[yo + c]!;
    }
  }
  return z;
}

/** Gram matrix G = Xᵀ X (l × l) of a row-major n × l matrix. */
function gram(x: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let r = 0; r < l; r++) {
      const v = x[o + r]!;
      if (v === 0) continue;
      const go = r * l;
      for (let c = r; c < l; c++) g[go + c] = g[go + c]! + v * x[o + c]!;
    }
  }
  for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) g[r * l + c] = g[c * l + r]!;
  return g;
}

/** Orthonormalises the columns of a tall row-major matrix in place by Cholesky QR. */
function orthonormalize(x: Float64Array, n: number, l: number): void {
  const g = gram(x, n, l);
  let trace = 0;
  for (let i = 0; i < l; i++) trace += g[i * l + i]!;
  const jitter = (trace / l) * 1e-10 + 1e-300;
  // Upper-triangular R with G = Rᵀ R.
  const r = new Float64Array(l * l);
  for (let i = 0; i < l; i++) {
    for (let j = i; j < l; j++) {
      let s = g[i * l + j]! + (i === j ? jitter : 0);
      for (let k = 0; k < i; k++) s -= r[k * l + i]! * r[k * l + j]!;
      if (i === j) r[i * l + i] = Math.sqrt(Math.max(s, jitter));
      else r[i * l + j] = s / r[i * l + i]!;
    }
  }
  // Q = X R⁻¹, row by row: q R = x.
  const row = new Float64Array(l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let j = 0; j < l; j++) {
      let s = x[o + j]!;
      for (let k = 0; k < j; k++) s -= row[k]! * r[k * l + j]!;
      row[j] = s / r[j * l + j]!;
    }
    x.set(row, o);
  }
}

/** Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi: values descending, vectors as columns. */
function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(l).keys()].sort((x, y) => a[y * l + y]! - a[x * l + x]!);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src]!;
    for (let k = 0; k < l; k++) vectors[k * l + dst] = v[k * l + src]!;
  });
  return { values, vectors };
}

/**
 * Latent semantic analysis trained on the corpus at index time: TF-IDF over folded syllables and
 * bigrams, truncated SVD by randomized range finding. A passage or question is embedded as its
 * TF-IDF vector projected on the top right singular vectors (the document coordinates U·Σ),
 * unit length. Needs no download; it adds synonymy the lexical side cannot see.
 */
export class LsaEmbeddings extends ProjectEmbeddings {
  private readonly termIndex: Map<string, number>;

  private constructor(
    private readonly vocabulary: string[],
    private readonly idf: Float32Array,
    /** Term vectors, vocabulary × dimension, row-major. */
    private readonly basis: Float32Array,
    readonly dimension: number,
  ) {
    super();
    this.termIndex = new Map(vocabulary.map((t, i) => [t, i]));
  }

  get info(): EmbedderInfo {
    return { id: `lsa-v1-${this.dimension}`, dimension: this.dimension };
  }

  /** Fits the model on passages; the dimension shrinks when the corpus is too small to support it. */
  static fit(texts: readonly string[], dimension = DEFAULT_LSA_DIMENSION, powerIterations = 1): LsaEmbeddings {
    const docs = texts.map(termsOf);
    const df = new Map<string, number>();
    for (const terms of docs) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
    const n = Math.max(1, docs.length);
    const minDf = n >= 50 ? 2 : 1;
    const vocabulary = [...df]
      .filter(([, c]) => c >= minDf && c <= Math.max(1, n * 0.5))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_VOCABULARY)
      .map(([t]) => t);
    if (vocabulary.length === 0) throw new AppError('embedder_unavailable', 'LSA: the corpus has no usable terms');
    const idf = Float32Array.from(vocabulary, (t) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1);
    const model = new LsaEmbeddings(vocabulary, idf, new Float32Array(0), 0);
    const a = model.tfidfMatrix(docs);
    const k = Math.max(1, Math.min(dimension, a.rows - 1, a.cols - 1));
    const l = Math.min(k + OVERSAMPLE, a.rows, a.cols);
    const rnd = gaussian(20240611);
    const omega = new Float64Array(a.cols * l);
    for (let i = 0; i < omega.length; i++) omega[i] = rnd();
    let y = multiply(a, omega, l);
    orthonormalize(y, a.rows, l);
    for (let it = 0; it < powerIterations; it++) {
      const z = multiplyTransposed(a, y, l);
      orthonormalize(z, a.cols, l);
      y = multiply(a, z, l);
      orthonormalize(y, a.rows, l);
    }
    // B = Qᵀ A = Cᵀ with C = Aᵀ Q; B Bᵀ = Cᵀ C; right singular vectors V = C U Σ⁻¹.
    const c = multiplyTransposed(a, y, l);
    const { values, vectors } = symmetricEigen(gram(c, a.cols, l), l);
    const basis = new Float32Array(a.cols * k);
    for (let t = 0; t < a.cols; t++) {
      for (let j = 0; j < k; j++) {
        const sigma = Math.sqrt(Math.max(values[j]!, 1e-24));
        let s = 0;
        for (let m = 0; m < l; m++) s += c[t * l + m]! * vectors[m * l + j]!;
        basis[t * k + j] = s / sigma;
      }
    }
    return new LsaEmbeddings(vocabulary, idf, basis, k);
  }

  /** Reads a model saved by saveState(). */
  static async load(dir: string): Promise<LsaEmbeddings> {
    const jsonPath = path.join(dir, 'lsa.json');
    const binPath = path.join(dir, 'lsa.f32');
    let meta: { version: number; dimension: number; vocabulary: string[]; idf: number[] };
    let bytes: Buffer;
    try {
      meta = JSON.parse(await readFile(jsonPath, 'utf8')) as typeof meta;
      bytes = await readFile(binPath);
    } catch (err) {
      throw new AppError('snapshot_invalid', `${jsonPath}: cannot read the LSA model (${(err as Error).message})`);
    }
    const { version, dimension, vocabulary, idf } = meta;
    if (version !== 1 || !Array.isArray(vocabulary) || !Array.isArray(idf) || idf.length !== vocabulary.length) {
      throw new AppError('snapshot_invalid', `${jsonPath}: not a version 1 LSA model`);
    }
    if (bytes.length !== vocabulary.length * dimension * 4) {
      throw new AppError('snapshot_invalid', `${binPath}: ${bytes.length} bytes, expected ${vocabulary.length * dimension * 4}`);
    }
    // A view when the bytes are 4-aligned (large reads are), a copy otherwise.
    const basis =
      bytes.byteOffset % 4 === 0
        ? new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
        : new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    return new LsaEmbeddings(vocabulary, Float32Array.from(idf), basis, dimension);
  }

  async saveState(dir: string): Promise<void> {
    const meta = { version: 1, dimension: this.dimension, vocabulary: this.vocabulary, idf: Array.from(this.idf) };
    await writeFile(path.join(dir, 'lsa.json'), JSON.stringify(meta));
    await writeFile(path.join(dir, 'lsa.f32'), Buffer.from(this.basis.buffer, this.basis.byteOffset, this.basis.byteLength));
  }

  private weights(terms: readonly string[]): Map<number, number> {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const id = this.termIndex.get(t);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    let norm = 0;
    for (const [id, c] of tf) {
      const w = (1 + Math.log(c)) * this.idf[id]!;
      tf.set(id, w);
      norm += w * w;
    }
    if (norm > 0) for (const [id, w] of tf) tf.set(id, w / Math.sqrt(norm));
    return tf;
  }

  private tfidfMatrix(docs: readonly string[][]): Csr {
    const ptr = new Uint32Array(docs.length + 1);
    const idx: number[] = [];
    const val: number[] = [];
    docs.forEach((terms, i) => {
      for (const [id, w] of this.weights(terms)) {
        idx.push(id);
        val.push(w);
      }
      ptr[i + 1] = idx.length;
    });
    return { rows: docs.length, cols: this.vocabulary.length, ptr, idx: Uint32Array.from(idx), val: Float32Array.from(val) };
  }

  /** Embeds one text: unit-length projection of its TF-IDF vector. */
  embed(text: string): number[] {
    const k = this.dimension;
    const v = new Float64Array(k);
    for (const [id, w] of this.weights(termsOf(text))) {
      const o = id * k;
      for (let j = 0; j < k; j++) v[j] = v[j]! + w * this.basis[o + j]!;
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
