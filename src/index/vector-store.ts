import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import hnswlib from 'hnswlib-node';
import { AppError } from '../errors.js';

/** HNSW graph parameters: M links per node, construction beam, and search beam. */
export interface HnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 100, efSearch: 96 };

/** A scored passage from the vector side: item number and cosine similarity. */
export interface VectorHit {
  item: number;
  similarity: number;
}

/**
 * Passage vectors in an HNSW graph, held in LangChain's `HNSWLib` vector store so any LangChain
 * `Embeddings` can be plugged in. The label of passage i is i, matching the lexical index.
 */
export class ChunkVectorStore {
  private constructor(
    private readonly store: HNSWLib,
    readonly dimension: number,
  ) {}

  /** Embeds the passages and builds the graph; reports progress in passages embedded. */
  static async build(
    embeddings: EmbeddingsInterface,
    texts: readonly string[],
    params: HnswParams = DEFAULT_HNSW,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ChunkVectorStore> {
    const batch = 512;
    let index: hnswlib.HierarchicalNSW | undefined;
    let dimension = 0;
    const docs: Record<string, Document> = {};
    for (let start = 0; start < texts.length; start += batch) {
      const vectors = await embeddings.embedDocuments(texts.slice(start, start + batch));
      if (!index) {
        dimension = vectors[0]?.length ?? 0;
        if (dimension === 0)
          throw new AppError('embedder_unavailable', 'the embedder returned an empty vector');
        index = new hnswlib.HierarchicalNSW('cosine', dimension);
        index.initIndex(texts.length, params.m, params.efConstruction, 42);
      }
      vectors.forEach((v, i) => {
        const label = start + i;
        index!.addPoint(v, label);
        docs[String(label)] = new Document({ pageContent: '', metadata: { item: label } });
      });
      onProgress?.(Math.min(start + batch, texts.length), texts.length);
    }
    if (!index) {
      dimension = (await embeddings.embedQuery('x')).length;
      index = new hnswlib.HierarchicalNSW('cosine', dimension);
      index.initIndex(1, params.m, params.efConstruction, 42);
    }
    index.setEf(params.efSearch);
    const docstore = new SynchronousInMemoryDocstore();
    docstore.add(docs);
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dimension, index, docstore });
    return new ChunkVectorStore(store, dimension);
  }

  /** Saves the graph and its docstore under `dir`. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await this.store.save(dir);
  }

  /** Loads a graph saved by save(); the embeddings must be the ones it was built with. */
  static async load(
    dir: string,
    embeddings: EmbeddingsInterface,
    params: HnswParams = DEFAULT_HNSW,
  ): Promise<ChunkVectorStore> {
    try {
      const store = await HNSWLib.load(dir, embeddings);
      store.index.setEf(params.efSearch);
      return new ChunkVectorStore(store, store.args.numDimensions ?? 0);
    } catch (err) {
      throw new AppError(
        'snapshot_invalid',
        `${path.join(dir, 'hnswlib.index')}: cannot load the vector index`,
        {
          cause: err,
        },
      );
    }
  }

  /**
   * Loads the graph saved under `dir` and appends the passages `texts` as labels `from`, `from`+1,
   * … (the passages before them must be the ones the graph holds, in order). Used when a
   * re-index only adds documents: the existing graph is kept and only the new passages are embedded.
   */
  static async extend(
    dir: string,
    embeddings: EmbeddingsInterface,
    from: number,
    texts: readonly string[],
    params: HnswParams = DEFAULT_HNSW,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ChunkVectorStore> {
    const loaded = await ChunkVectorStore.load(dir, embeddings, params);
    const index = loaded.store.index;
    if (index.getCurrentCount() !== from) {
      throw new AppError(
        'snapshot_invalid',
        `${dir}: the vector index holds ${index.getCurrentCount()} passages, expected ${from}`,
      );
    }
    if (texts.length > 0) index.resizeIndex(from + texts.length);
    const batch = 512;
    for (let start = 0; start < texts.length; start += batch) {
      const vectors = await embeddings.embedDocuments(texts.slice(start, start + batch));
      const docs: Record<string, Document> = {};
      vectors.forEach((v, i) => {
        const label = from + start + i;
        index.addPoint(v, label);
        docs[String(label)] = new Document({ pageContent: '', metadata: { item: label } });
      });
      loaded.store.docstore.add(docs);
      onProgress?.(Math.min(start + batch, texts.length), texts.length);
    }
    return loaded;
  }

  /** Number of passages in the graph. */
  get size(): number {
    return this.store._index ? this.store.index.getCurrentCount() : 0;
  }

  /** The k nearest passages to an already-embedded query vector. */
  searchVector(vector: number[], k: number): VectorHit[] {
    const n = this.size;
    if (n === 0) return [];
    const { neighbors, distances } = this.store.index.searchKnn(vector, Math.min(k, n));
    return neighbors.map((item, i) => ({ item, similarity: 1 - (distances[i] ?? 1) }));
  }

  /** Embeds a query with the store's embeddings and returns the k nearest passages. */
  async search(query: string, k: number): Promise<VectorHit[]> {
    return this.searchVector(await this.store.embeddings.embedQuery(query), k);
  }
}
