import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
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
 * LangChain's vector store, loaded when a graph is built, extended or saved. Its modules cost a
 * serving process about 35 MB of resident memory for nothing: serving only searches the graph.
 */
async function langchain() {
  const [{ HNSWLib }, { SynchronousInMemoryDocstore }, { Document }] = await Promise.all([
    import('@langchain/community/vectorstores/hnswlib'),
    import('@langchain/community/stores/doc/in_memory'),
    import('@langchain/core/documents'),
  ]);
  /** The docstore entries of passages `from`… `to`-1: the label is all a passage needs. */
  const entries = (from: number, to: number) => {
    const docs: Record<string, InstanceType<typeof Document>> = {};
    for (let label = from; label < to; label++) {
      docs[String(label)] = new Document({ pageContent: '', metadata: { item: label } });
    }
    return docs;
  };
  return { HNSWLib, SynchronousInMemoryDocstore, entries };
}

/**
 * Passage vectors in an HNSW graph, built and saved with LangChain's `HNSWLib` vector store so any
 * LangChain `Embeddings` can be plugged in. Serving loads the saved graph with hnswlib-node
 * directly (same files), without LangChain's docstore. The label of passage i is i, matching the
 * lexical index.
 */
export class ChunkVectorStore {
  private constructor(
    private readonly index: hnswlib.HierarchicalNSW,
    readonly dimension: number,
    private readonly embeddings: EmbeddingsInterface,
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
    for (let start = 0; start < texts.length; start += batch) {
      const vectors = await embeddings.embedDocuments(texts.slice(start, start + batch));
      if (!index) {
        dimension = vectors[0]?.length ?? 0;
        if (dimension === 0)
          throw new AppError('embedder_unavailable', 'the embedder returned an empty vector');
        index = new hnswlib.HierarchicalNSW('cosine', dimension);
        index.initIndex(texts.length, params.m, params.efConstruction, 42);
      }
      vectors.forEach((v, i) => index!.addPoint(v, start + i));
      onProgress?.(Math.min(start + batch, texts.length), texts.length);
    }
    if (!index) {
      dimension = (await embeddings.embedQuery('x')).length;
      index = new hnswlib.HierarchicalNSW('cosine', dimension);
      index.initIndex(1, params.m, params.efConstruction, 42);
    }
    index.setEf(params.efSearch);
    return new ChunkVectorStore(index, dimension, embeddings);
  }

  /** Saves the graph and its docstore under `dir` in LangChain's `HNSWLib` format. */
  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const { HNSWLib, SynchronousInMemoryDocstore, entries } = await langchain();
    const docstore = new SynchronousInMemoryDocstore();
    docstore.add(entries(0, this.size));
    const store: HNSWLib = new HNSWLib(this.embeddings, {
      space: 'cosine',
      numDimensions: this.dimension,
      index: this.index,
      docstore,
    });
    await store.save(dir);
  }

  /** Loads a graph saved by save(); the embeddings must be the ones it was built with. */
  static async load(
    dir: string,
    embeddings: EmbeddingsInterface,
    params: HnswParams = DEFAULT_HNSW,
  ): Promise<ChunkVectorStore> {
    const file = path.join(dir, 'hnswlib.index');
    try {
      const args = JSON.parse(await readFile(path.join(dir, 'args.json'), 'utf8')) as {
        space?: hnswlib.SpaceName;
        numDimensions?: number;
      };
      const dimension = args.numDimensions ?? 0;
      if (!Number.isInteger(dimension) || dimension <= 0) {
        throw new Error(`args.json gives no dimension (numDimensions: ${String(args.numDimensions)})`);
      }
      const index = new hnswlib.HierarchicalNSW(args.space ?? 'cosine', dimension);
      await index.readIndex(file);
      index.setEf(params.efSearch);
      return new ChunkVectorStore(index, dimension, embeddings);
    } catch (err) {
      throw new AppError('snapshot_invalid', `${file}: cannot load the vector index`, {
        cause: err,
      });
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
    const index = loaded.index;
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
      vectors.forEach((v, i) => index.addPoint(v, from + start + i));
      onProgress?.(Math.min(start + batch, texts.length), texts.length);
    }
    return loaded;
  }

  /** Number of passages in the graph. */
  get size(): number {
    return this.index.getCurrentCount();
  }

  /** The k nearest passages to an already-embedded query vector. */
  searchVector(vector: number[], k: number): VectorHit[] {
    const n = this.size;
    if (n === 0) return [];
    const { neighbors, distances } = this.index.searchKnn(vector, Math.min(k, n));
    return neighbors.map((item, i) => ({ item, similarity: 1 - (distances[i] ?? 1) }));
  }

  /** Embeds a query with the store's embeddings and returns the k nearest passages. */
  async search(query: string, k: number): Promise<VectorHit[]> {
    return this.searchVector(await this.embeddings.embedQuery(query), k);
  }
}
