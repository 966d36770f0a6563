import { Embeddings } from '@langchain/core/embeddings';

/** Identity of an embedder as recorded in a snapshot manifest. */
export interface EmbedderInfo {
  /** Kind, version and dimension or model, e.g. "lsa-v2-128", "openai:bge-m3". */
  id: string;
  dimension: number;
}

/** A LangChain `Embeddings` that can say what it is and save what it needs to be reloaded. */
export abstract class ProjectEmbeddings extends Embeddings {
  constructor() {
    super({});
  }

  abstract get info(): EmbedderInfo;

  /** Writes the state needed to reload this embedder into `dir` (which exists). */
  abstract saveState(dir: string): Promise<void>;
}

/** Scales a vector to unit length in place (a zero vector stays zero) and returns it. */
export function l2normalize<T extends Float32Array | Float64Array | number[]>(v: T): T {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * inv;
  }
  return v;
}
