import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { analyze } from '../lexical/analyzer.js';
import { l2normalize, ProjectEmbeddings, type EmbedderInfo } from './base.js';

export const DEFAULT_HASHED_DIMENSION = 512;

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Signed feature hashing of folded syllables and syllable bigrams, sublinear tf, unit length.
 * Needs no training and no download; a baseline for the vector side.
 */
export class HashedNgramEmbeddings extends ProjectEmbeddings {
  constructor(readonly dimension = DEFAULT_HASHED_DIMENSION) {
    super();
  }

  get info(): EmbedderInfo {
    return { id: `hashed-v1-${this.dimension}`, dimension: this.dimension };
  }

  embed(text: string): number[] {
    const counts = new Map<string, number>();
    for (const t of analyze(text).folded) counts.set(t, (counts.get(t) ?? 0) + 1);
    const v = new Float64Array(this.dimension);
    for (const [term, tf] of counts) {
      const h = fnv1a(term);
      const w = (1 + Math.log(tf)) * (term.includes('_') ? 0.7 : 1);
      v[h % this.dimension] = v[h % this.dimension]! + (h & 0x80000000 ? -w : w);
    }
    return Array.from(l2normalize(v));
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  async saveState(dir: string): Promise<void> {
    await writeFile(
      path.join(dir, 'embedder.json'),
      JSON.stringify({ kind: 'hashed', dimension: this.dimension }),
    );
  }
}
