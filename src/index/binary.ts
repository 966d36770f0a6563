/** Typed arrays laid end to end in one snapshot file, each padded so the next starts 4-aligned. */

export type BinaryArray = Int8Array | Uint8Array | Uint32Array | Float32Array;

type ArrayConstructor<T> = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T;

function padded(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}

/** The arrays' bytes, each padded to a multiple of 4. */
export function packArrays(arrays: readonly BinaryArray[]): Buffer {
  const out = Buffer.alloc(arrays.reduce((n, a) => n + padded(a.byteLength), 0));
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += padded(a.byteLength);
  }
  return out;
}

/**
 * Reads arrays written by packArrays() as views of the file's bytes, without copying them (a
 * large `readFile` is its own 4-aligned allocation; other buffers are copied once).
 */
export class ArrayReader {
  private readonly bytes: Uint8Array;
  private at: number;

  constructor(file: Uint8Array) {
    this.bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
    this.at = this.bytes.byteOffset;
  }

  /** The next array of `length` elements; throws when the file is too short. */
  take<T extends BinaryArray>(ctor: ArrayConstructor<T> & { BYTES_PER_ELEMENT: number }, length: number): T {
    const size = length * ctor.BYTES_PER_ELEMENT;
    if (!Number.isInteger(length) || length < 0 || this.at + size > this.end) {
      throw new Error('the file is shorter than its header says');
    }
    const view = new ctor(this.bytes.buffer, this.at, length);
    this.at += padded(size);
    return view;
  }

  /** True once every byte has been taken. */
  get done(): boolean {
    return this.at === this.end;
  }

  private get end(): number {
    return this.bytes.byteOffset + this.bytes.byteLength;
  }
}
