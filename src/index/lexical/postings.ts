/**
 * Compressed postings of the lexical index. Per term, its passages in ascending order, each as
 * the gap from the previous passage (variable-byte, 7 bits a byte, high bit = more; the first gap
 * counts from -1) followed by the term frequencies in the heading and the body: one byte
 * `tfHeading << 4 | tfBody` when both are ≤ 15, else a 0 byte and one byte each (frequencies are
 * clamped to 255; a posting never has both at 0, so 0 is free as the escape). On the tthc corpus
 * (8.0 M postings) that is ~2.1 bytes a posting instead of 8 (a Uint32 passage and two Uint16s).
 */

/** Highest term frequency kept per field; BM25 saturates long before it. */
export const MAX_TF = 255;

/** Postings of every term, packed. */
export interface PackedPostings {
  /** Byte offset of each term's postings in `bytes`; `offsets[terms]` is the end. */
  offsets: Uint32Array;
  /** Number of passages per term (document frequency). */
  df: Uint32Array;
  bytes: Uint8Array;
}

/** One decoded posting. */
export interface Posting {
  item: number;
  tfHeading: number;
  tfBody: number;
}

function varintLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

/** Writes `v` as a variable-byte number at `at`; returns the position after it. */
function writeVarint(bytes: Uint8Array, at: number, v: number): number {
  while (v >= 0x80) {
    bytes[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[at++] = v;
  return at;
}

function small(tfHeading: number, tfBody: number): boolean {
  return tfHeading <= 15 && tfBody <= 15;
}

/** Growable typed-array log of postings in the order a build meets them (passage order). */
export class PostingLog {
  private terms = new Uint32Array(1024);
  private items = new Uint32Array(1024);
  /** tfHeading << 8 | tfBody. */
  private tfs = new Uint16Array(1024);
  private count = 0;

  /** Records that `term` occurs in passage `item`; passages must come in ascending order. */
  add(term: number, item: number, tfHeading: number, tfBody: number): void {
    if (this.count === this.terms.length) this.grow();
    this.terms[this.count] = term;
    this.items[this.count] = item;
    this.tfs[this.count] = (Math.min(tfHeading, MAX_TF) << 8) | Math.min(tfBody, MAX_TF);
    this.count++;
  }

  private grow(): void {
    const n = this.terms.length * 2;
    const terms = new Uint32Array(n);
    const items = new Uint32Array(n);
    const tfs = new Uint16Array(n);
    terms.set(this.terms);
    items.set(this.items);
    tfs.set(this.tfs);
    this.terms = terms;
    this.items = items;
    this.tfs = tfs;
  }

  /**
   * Packs the log by term, renumbering term t as `rankOf[t]`. Two passes over the log: sizes,
   * then bytes written at each term's cursor, so no per-term arrays are ever allocated.
   */
  pack(rankOf: Uint32Array): PackedPostings {
    const termCount = rankOf.length;
    const size = new Uint32Array(termCount);
    const df = new Uint32Array(termCount);
    const last = new Int32Array(termCount).fill(-1);
    for (let p = 0; p < this.count; p++) {
      const t = rankOf[this.terms[p]!]!;
      const item = this.items[p]!;
      const tf = this.tfs[p]!;
      size[t] = size[t]! + varintLength(item - last[t]!) + (small(tf >>> 8, tf & 0xff) ? 1 : 3);
      df[t] = df[t]! + 1;
      last[t] = item;
    }
    const offsets = new Uint32Array(termCount + 1);
    for (let t = 0; t < termCount; t++) offsets[t + 1] = offsets[t]! + size[t]!;
    const bytes = new Uint8Array(offsets[termCount]!);
    const cursor = offsets.slice(0, termCount);
    last.fill(-1);
    for (let p = 0; p < this.count; p++) {
      const t = rankOf[this.terms[p]!]!;
      const item = this.items[p]!;
      const tf = this.tfs[p]!;
      let at = writeVarint(bytes, cursor[t]!, item - last[t]!);
      const h = tf >>> 8;
      const b = tf & 0xff;
      if (small(h, b)) bytes[at++] = (h << 4) | b;
      else {
        bytes[at++] = 0;
        bytes[at++] = h;
        bytes[at++] = b;
      }
      cursor[t] = at;
      last[t] = item;
    }
    return { offsets, df, bytes };
  }
}

/** The last passage of the `df` postings that start at `at` (-1 when df is 0). */
export function lastItem(bytes: Uint8Array, at: number, df: number): number {
  let item = -1;
  for (let k = 0; k < df; k++) {
    let byte = bytes[at++]!;
    let gap = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++]!;
      gap |= (byte & 0x7f) << shift;
    }
    item += gap;
    if (bytes[at++] === 0) at += 2;
  }
  return item;
}

/**
 * Appends the postings src[begin, end) to `out` at `at` with every passage moved up by `offset`,
 * after postings whose last passage is `previous` (-1 when none): only the first gap is re-coded,
 * the rest is copied. Returns the position after them.
 */
export function appendPostings(
  out: Uint8Array,
  at: number,
  src: Uint8Array,
  begin: number,
  end: number,
  offset: number,
  previous: number,
): number {
  let p = begin;
  let byte = src[p++]!;
  let gap = byte & 0x7f;
  for (let shift = 7; byte & 0x80; shift += 7) {
    byte = src[p++]!;
    gap |= (byte & 0x7f) << shift;
  }
  // The first gap counts from -1: the first passage is gap - 1.
  at = writeVarint(out, at, gap - 1 + offset - previous);
  out.set(src.subarray(p, end), at);
  return at + (end - p);
}

/** The postings of one term, decoded (for tests and tools; scoring decodes inline). */
export function decodePostings(p: PackedPostings, term: number): Posting[] {
  const out: Posting[] = [];
  let at = p.offsets[term]!;
  let item = -1;
  for (let k = 0; k < p.df[term]!; k++) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = p.bytes[at++]!;
      gap |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    item += gap;
    const tf = p.bytes[at++]!;
    if (tf !== 0) out.push({ item, tfHeading: tf >>> 4, tfBody: tf & 15 });
    else {
      out.push({ item, tfHeading: p.bytes[at]!, tfBody: p.bytes[at + 1]! });
      at += 2;
    }
  }
  return out;
}
