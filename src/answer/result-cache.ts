import type { Audience } from '../ingest/types.js';
import { Lru, type CacheStats } from '../lib/lru.js';
import type { RetrievalResult, Retriever } from '../retrieve/retriever.js';
import { normalize } from '../text/index.js';

/**
 * What the answer layer reads of a retrieval: the documents found and their passages. The
 * analysed question (its weighted terms are four fifths of a retrieval's memory) is left out.
 */
export type Retrieval = Pick<RetrievalResult, 'results'>;

/**
 * Recent retrievals, keyed by snapshot, audience and normalised question. Citizens ask the same
 * common questions over and over; a result belongs to one snapshot, so a re-index never serves a
 * stale one. Bounded, least-recently-used first out. An entry holds the results (which point into
 * the snapshot), not the analysed question: about 1.8 kB on the tthc corpus, so 3.5 MB for the
 * default 2,000 (with the analysed question it was 10 kB, 20 MB).
 */
export class ResultCache {
  private readonly entries: Lru<string, Retrieval>;

  constructor(capacity = 2000) {
    this.entries = new Lru(capacity);
  }

  /** Hits, misses and size since creation. */
  stats(): CacheStats {
    return this.entries.stats();
  }

  /** Retrieves through the cache (k results for the audience, in the conversation's domain if any). */
  async retrieve(
    retriever: Retriever,
    question: string,
    k: number,
    audience: Audience,
    domain?: string,
  ): Promise<Retrieval> {
    const key = `${retriever.snapshot.manifest.id}\u0000${audience}\u0000${k}\u0000${domain ?? ''}\u0000${normalize(question)}`;
    const cached = this.entries.get(key);
    if (cached) return cached;
    const { results, degraded } = await retriever.retrieve(question, {
      k,
      audience,
      ...(domain ? { domain } : {}),
    });
    const retrieval = { results };
    // Kept in the retriever's own order because the re-ranking endpoint failed: asked again later, it may answer.
    if (!degraded) this.entries.set(key, retrieval);
    return retrieval;
  }
}
