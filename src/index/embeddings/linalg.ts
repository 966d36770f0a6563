/** Dense and sparse linear algebra for the randomized truncated SVD of the LSA embedder. */

/** A seeded Gaussian generator (mulberry32 + Box–Muller), so builds are reproducible. */
export function gaussian(seed: number): () => number {
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
export interface Csr {
  rows: number;
  cols: number;
  ptr: Uint32Array;
  idx: Uint32Array;
  val: Float32Array;
}

/** Y (rows × l) = A · M, with M (cols × l) row-major. */
export function multiply(a: Csr, m: Float64Array, l: number): Float64Array {
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
export function multiplyTransposed(a: Csr, y: Float64Array, l: number): Float64Array {
  return multiplyByColumns(transpose(a), y, l);
}

/** The entries of a CSR matrix by column: for each column, its rows in ascending order. */
export interface Csc {
  cols: number;
  ptr: Uint32Array;
  rowIdx: Uint32Array;
  val: Float32Array;
}

export function transpose(a: Csr): Csc {
  const nnz = a.ptr[a.rows]!;
  const ptr = new Uint32Array(a.cols + 1);
  for (let p = 0; p < nnz; p++) ptr[a.idx[p]! + 1] = ptr[a.idx[p]! + 1]! + 1;
  for (let j = 0; j < a.cols; j++) ptr[j + 1] = ptr[j + 1]! + ptr[j]!;
  const cursor = ptr.slice(0, a.cols);
  const rowIdx = new Uint32Array(nnz);
  const val = new Float32Array(nnz);
  for (let i = 0; i < a.rows; i++) {
    for (let p = a.ptr[i]!; p < a.ptr[i + 1]!; p++) {
      const at = cursor[a.idx[p]!]!;
      cursor[a.idx[p]!] = at + 1;
      rowIdx[at] = i;
      val[at] = a.val[p]!;
    }
  }
  return { cols: a.cols, ptr, rowIdx, val };
}

/**
 * Z (cols × l) = Aᵀ · Y from A by columns: each row of Z sums its terms over the rows of A in
 * ascending order, as a row-by-row pass over A adds them, so the result is the same to the bit,
 * but each row of Z is written once instead of being revisited at random.
 */
export function multiplyByColumns(t: Csc, y: Float64Array, l: number): Float64Array {
  const z = new Float64Array(t.cols * l);
  for (let j = 0; j < t.cols; j++) {
    const zo = j * l;
    for (let p = t.ptr[j]!; p < t.ptr[j + 1]!; p++) {
      const w = t.val[p]!;
      const yo = t.rowIdx[p]! * l;
      for (let c = 0; c < l; c++) z[zo + c] = z[zo + c]! + w * y[yo + c]!;
    }
  }
  return z;
}

/** Gram matrix G = Xᵀ X (l × l) of a row-major n × l matrix. */
export function gram(x: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  let i = 0;
  // Two rows at a time: g + v1·x1 + v2·x2 is evaluated left to right, exactly as row i then row i + 1.
  for (; i + 1 < n; i += 2) {
    const o1 = i * l;
    const o2 = o1 + l;
    for (let r = 0; r < l; r++) {
      const v1 = x[o1 + r]!;
      const v2 = x[o2 + r]!;
      const go = r * l;
      if (v1 !== 0 && v2 !== 0) {
        for (let c = r; c < l; c++) g[go + c] = g[go + c]! + v1 * x[o1 + c]! + v2 * x[o2 + c]!;
      } else if (v1 !== 0) {
        for (let c = r; c < l; c++) g[go + c] = g[go + c]! + v1 * x[o1 + c]!;
      } else if (v2 !== 0) {
        for (let c = r; c < l; c++) g[go + c] = g[go + c]! + v2 * x[o2 + c]!;
      }
    }
  }
  for (; i < n; i++) {
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
export function orthonormalize(x: Float64Array, n: number, l: number): void {
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
  // Q = X R⁻¹, row by row: q R = x. Column j of R is read as row j of its transpose (contiguous).
  const rt = new Float64Array(l * l);
  for (let k = 0; k < l; k++) for (let j = 0; j < l; j++) rt[j * l + k] = r[k * l + j]!;
  const row = new Float64Array(l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let j = 0; j < l; j++) {
      const jo = j * l;
      let s = x[o + j]!;
      for (let k = 0; k < j; k++) s -= row[k]! * rt[jo + k]!;
      row[j] = s / rt[jo + j]!;
    }
    x.set(row, o);
  }
}

/** Eigen-decomposition of a symmetric l × l matrix by cyclic Jacobi: values descending, vectors as columns. */
export function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
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

/** Extra random directions of the randomized SVD (Halko, Martinsson & Tropp 2011). */
const OVERSAMPLE = 16;

/**
 * Top-k right singular vectors of A scaled by 1/σ (cols × k, row-major), by randomized range
 * finding with `powerIterations` power steps: projecting a TF-IDF row on them gives U·Σ coordinates.
 */
export function projectionBasis(a: Csr, k: number, powerIterations: number, seed: number): Float32Array {
  const l = Math.min(k + OVERSAMPLE, a.rows, a.cols);
  const rnd = gaussian(seed);
  const omega = new Float64Array(a.cols * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rnd();
  let y = multiply(a, omega, l);
  orthonormalize(y, a.rows, l);
  const at = transpose(a);
  for (let it = 0; it < powerIterations; it++) {
    const z = multiplyByColumns(at, y, l);
    orthonormalize(z, a.cols, l);
    y = multiply(a, z, l);
    orthonormalize(y, a.rows, l);
  }
  // B = Qᵀ A = Cᵀ with C = Aᵀ Q; B Bᵀ = Cᵀ C; right singular vectors V = C U Σ⁻¹.
  const c = multiplyByColumns(at, y, l);
  const { values, vectors } = symmetricEigen(gram(c, a.cols, l), l);
  const basis = new Float32Array(a.cols * k);
  // Eigenvector j as a contiguous row (the transpose of its column).
  const vt = new Float64Array(k * l);
  for (let j = 0; j < k; j++) for (let m = 0; m < l; m++) vt[j * l + m] = vectors[m * l + j]!;
  const sigmas = Float64Array.from({ length: k }, (_, j) => Math.sqrt(Math.max(values[j]!, 1e-24)));
  for (let t = 0; t < a.cols; t++) {
    const to = t * l;
    for (let j = 0; j < k; j++) {
      const jo = j * l;
      let s = 0;
      for (let m = 0; m < l; m++) s += c[to + m]! * vt[jo + m]!;
      basis[t * k + j] = s / sigmas[j]!;
    }
  }
  return basis;
}
