/**
 * The vocabulary of the lexical index packed into two typed arrays: the UTF-8 bytes of every term,
 * sorted by bytes and laid end to end, and where each one starts. A term's id is its rank. A
 * `Map<string, number>` of the 160,000 terms of the tthc corpus held ~12 MB of heap; this holds
 * ~2.5 MB, and a lookup is a binary search of ~18 byte comparisons (a query has ~100 terms).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Compares the first `length` bytes of `key` with bytes[from, to) in byte order: negative when the key sorts first. */
function compareBytes(key: Uint8Array, length: number, bytes: Uint8Array, from: number, to: number): number {
  const n = Math.min(length, to - from);
  for (let i = 0; i < n; i++) {
    const d = key[i]! - bytes[from + i]!;
    if (d !== 0) return d;
  }
  return length - (to - from);
}

/** Scratch buffer for the UTF-8 bytes of looked-up terms (lookups are synchronous). */
let scratch = new Uint8Array(256);

/** Writes the UTF-8 bytes of `term` into `scratch` and returns their number. */
function encodeTerm(term: string): number {
  if (scratch.length < term.length * 3) scratch = new Uint8Array(term.length * 3);
  for (let i = 0; i < term.length; i++) {
    const c = term.charCodeAt(i);
    // Folded terms are ASCII, whose UTF-8 bytes are their character codes.
    if (c > 0x7f) return encoder.encodeInto(term, scratch).written;
    scratch[i] = c;
  }
  return term.length;
}

export class TermDictionary {
  constructor(
    /** UTF-8 bytes of the sorted terms, back to back. */
    readonly bytes: Uint8Array,
    /** Byte offset of term i; `starts[size]` is the end of the last term. */
    readonly starts: Uint32Array,
  ) {}

  /**
   * Sorts terms into a dictionary. `rankOf[i]` is the id that `terms[i]` gets, so structures
   * built with insertion-order ids can be renumbered.
   */
  static fromTerms(terms: readonly string[]): { dictionary: TermDictionary; rankOf: Uint32Array } {
    const encoded = terms.map((t) => encoder.encode(t));
    const order = [...encoded.keys()].sort((a, b) => Buffer.compare(encoded[a]!, encoded[b]!));
    const rankOf = new Uint32Array(terms.length);
    const starts = new Uint32Array(terms.length + 1);
    let total = 0;
    order.forEach((i, rank) => {
      rankOf[i] = rank;
      starts[rank] = total;
      total += encoded[i]!.length;
    });
    starts[terms.length] = total;
    const bytes = new Uint8Array(total);
    order.forEach((i, rank) => bytes.set(encoded[i]!, starts[rank]!));
    return { dictionary: new TermDictionary(bytes, starts), rankOf };
  }

  /**
   * The union of two dictionaries in byte order, with the id each merged term has in `a` and in
   * `b` (-1 where it is absent), so structures indexed by term can be merged alongside.
   */
  static merge(
    a: TermDictionary,
    b: TermDictionary,
  ): { dictionary: TermDictionary; fromA: Int32Array; fromB: Int32Array } {
    const most = a.size + b.size;
    const fromA = new Int32Array(most);
    const fromB = new Int32Array(most);
    const starts = new Uint32Array(most + 1);
    const bytes = new Uint8Array(a.bytes.length + b.bytes.length);
    let i = 0;
    let j = 0;
    let k = 0;
    let end = 0;
    while (i < a.size || j < b.size) {
      const inA = i < a.size ? a.termBytes(i) : null;
      const c =
        inA === null
          ? 1
          : j >= b.size
            ? -1
            : compareBytes(inA, inA.length, b.bytes, b.starts[j]!, b.starts[j + 1]!);
      const term = c <= 0 ? inA! : b.termBytes(j);
      starts[k] = end;
      bytes.set(term, end);
      end += term.length;
      fromA[k] = c <= 0 ? i++ : -1;
      fromB[k] = c >= 0 ? j++ : -1;
      k++;
    }
    starts[k] = end;
    return {
      dictionary: new TermDictionary(bytes.slice(0, end), starts.slice(0, k + 1)),
      fromA: fromA.slice(0, k),
      fromB: fromB.slice(0, k),
    };
  }

  /** The UTF-8 bytes of the term with this id (a view, not a copy). */
  private termBytes(id: number): Uint8Array {
    return this.bytes.subarray(this.starts[id]!, this.starts[id + 1]!);
  }

  /** Number of terms. */
  get size(): number {
    return this.starts.length - 1;
  }

  /** Id of a term, or -1 when the dictionary does not hold it. */
  id(term: string): number {
    const length = encodeTerm(term);
    const key = scratch;
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareBytes(key, length, this.bytes, this.starts[mid]!, this.starts[mid + 1]!);
      if (c === 0) return mid;
      if (c < 0) hi = mid - 1;
      else lo = mid + 1;
    }
    return -1;
  }

  /** The term with this id. */
  term(id: number): string {
    return decoder.decode(this.termBytes(id));
  }

  /** True when the offsets are ascending and within the bytes (a check for loaded files). */
  isConsistent(): boolean {
    if (this.starts[0] !== 0 || this.starts[this.size] !== this.bytes.length) return false;
    for (let i = 0; i < this.size; i++) if (this.starts[i]! > this.starts[i + 1]!) return false;
    return true;
  }
}
