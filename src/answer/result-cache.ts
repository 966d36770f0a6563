import type { Audience } from '../ingest/types.js';
import { Lru } from '../lib/lru.js';
import type { RetrievalResult, Retriever } from '../retrieve/retriever.js';
import { normalize } from '../text/index.js';

/**
 * Recent retrievals, keyed by snapshot, audience and normalised question. Citizens ask the same
 * common questions over and over; a result belongs to one snapshot, so a re-index never serves a
 * stale one. Bounded, least-recently-used first out.
 */
export class ResultCache {
  private readonly entries: Lru<string, RetrievalResult>;
  hits = 0;
  misses = 0;

  constructor(capacity = 2000) {
    this.entries = new Lru(capacity);
  }

  /** Hits, misses and size since creation. */
  stats(): { hits: number; misses: number; entries: number; capacity: number } {
    return {
      hits: this.hits,
      misses: this.misses,
      entries: this.entries.size,
      capacity: this.entries.capacity,
    };
  }

  /** Retrieves through the cache (k results for the audience). */
  async retrieve(
    retriever: Retriever,
    question: string,
    k: number,
    audience: Audience,
  ): Promise<RetrievalResult> {
    const key = `${retriever.snapshot.manifest.id}\u0000${audience}\u0000${k}\u0000${normalize(question)}`;
    const cached = this.entries.get(key);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const result = await retriever.retrieve(question, { k, audience });
    this.entries.set(key, result);
    return result;
  }
}
