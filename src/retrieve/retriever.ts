import type { IndexSnapshot } from '../index/snapshot.js';
import type { Audience, Chunk, DocumentMeta, ValidityStatus } from '../ingest/types.js';
import { Lru, type CacheStats } from '../lib/lru.js';
import { baseProcedureCode, documentNumberKey } from '../text/index.js';
import {
  DEFAULT_FUSION,
  fuse,
  rescoreHead,
  type DocScores,
  type FusedDocument,
  type FusionParams,
} from './fusion.js';
import {
  coverage,
  DEFAULT_NAME_COVERAGE,
  lacksAskedOperation,
  missesOperation,
  nameProfile,
  otherLevel,
  questionLevels,
  type Level,
  rerankByNameCoverage,
  type NameCoverageParams,
  type NameMatch,
  type Operation,
  type WeightedTerm,
  weightedNameTerms,
} from './name-coverage.js';
import { preferForeignVariants } from './variants.js';
import { blendedOrder, RERANK_TEXT_CHARS, type Reranker } from './rerank.js';
import { analyzeQuery, DEFAULT_QUERY_WEIGHTS, type AnalyzedQuery, type QueryWeights } from './query.js';

/** Filters and sizes of one retrieval. */
export interface RetrieveOptions {
  /** Documents to return (default 10). */
  k?: number;
  /** 'public' sees public documents only (citizens' channels); 'internal' sees all. Default 'public'. */
  audience?: Audience;
  /** Statuses to leave out; default: documents that are wholly expired. */
  excludeStatuses?: ValidityStatus[];
  /** Best passages kept per document (default 3). */
  chunksPerDoc?: number;
  /**
   * The domain (lĩnh vực) of the procedure a conversation is about: its procedures in the head gain
   * `domainBoost` (see RetrieverParams). Absent for a question asked on its own.
   */
  domain?: string;
}

/** A passage of a result with its lexical score. */
export interface RetrievedChunk {
  chunk: Chunk;
  score: number;
}

/** One result per document, with its best passages. */
export interface RetrievedDocument {
  doc: DocumentMeta;
  /** Fused score (higher is better; comparable within one query only). */
  score: number;
  lexicalRank: number | null;
  vectorRank: number | null;
  /** True when the query named this document's procedure code or number. */
  exact: boolean;
  /** IDF-weighted share of a procedure's name that the query covers (absent for other documents). */
  nameShare?: number;
  /** Cosine similarity of the query to the document's best passage on the vector side (absent without one). */
  similarity?: number;
  chunks: RetrievedChunk[];
}

export interface RetrievalResult {
  query: AnalyzedQuery;
  results: RetrievedDocument[];
  /** True when the re-ranking endpoint failed and the retriever's own order was kept (not worth caching). */
  degraded?: boolean;
}

/** Tunables of the hybrid retriever. */
export interface RetrieverParams {
  query: QueryWeights;
  fusion: FusionParams;
  /** Passages taken from the vector side before grouping by document. */
  vectorCandidates: number;
  /** Weight of a document's second-best passage in its lexical score. */
  secondChunk: number;
  /** Score factor of non-procedure documents when the question asks for a procedure field (papers, fee, time…). */
  otherKindsWhenFieldAsked: number;
  /** Re-ranking of the head by how much of each procedure's name the question covers. */
  nameCoverage: NameCoverageParams;
  /**
   * Taken off a civil-status service without the foreign element when the question names a
   * foreign party and the variant with it is in the head (see variants.ts).
   */
  foreignVariantPenalty: number;
  /**
   * Added, times the first fused score, to procedures of the conversation's domain in the head: a
   * citizen who names another procedure mostly stays in the field ("xóa thế chấp" after
   * "đăng ký thế chấp quyền sử dụng đất" means the land one), and the words alone often fit a
   * procedure of another field as well.
   */
  domainBoost: number;
}

/** Fields only a procedure record has. */
const PROCEDURE_FIELDS: ReadonlySet<string> = new Set([
  'ho_so',
  'phi',
  'thoi_han',
  'co_quan',
  'cach_thuc',
  'ket_qua',
]);

export const DEFAULT_RETRIEVER: RetrieverParams = {
  query: DEFAULT_QUERY_WEIGHTS,
  fusion: DEFAULT_FUSION,
  vectorCandidates: 200,
  secondChunk: 0.1,
  otherKindsWhenFieldAsked: 0.8,
  nameCoverage: DEFAULT_NAME_COVERAGE,
  foreignVariantPenalty: 0.3,
  domainBoost: 0.25,
};

/**
 * The first `reranker.setting.depth` results re-ordered by the endpoint's scores blended with the
 * retriever's, cut to k. The head keeps its scores in order (the new first result carries the
 * first score), so the answer layer's margins and thresholds read what they were fitted on. When
 * the endpoint fails, the retriever's order, marked degraded.
 */
async function reranked(
  reranker: Reranker,
  query: string,
  results: RetrievedDocument[],
  k: number,
): Promise<{ results: RetrievedDocument[]; degraded?: boolean }> {
  const head = results.slice(0, reranker.setting.depth);
  const texts = head.map((r) =>
    `${r.doc.title}\n${r.chunks[0]?.chunk.text ?? ''}`.slice(0, RERANK_TEXT_CHARS),
  );
  const scores = await reranker.score(query, texts);
  if (!scores) return { results: results.slice(0, k), degraded: true };
  const order = blendedOrder(
    head.map((r) => r.score),
    scores,
    reranker.setting.weight,
  );
  const descending = head.map((r) => r.score).sort((a, b) => b - a);
  const reordered = order.map((i, rank) => ({ ...head[i]!, score: descending[rank]! }));
  return { results: [...reordered, ...results.slice(head.length)].slice(0, k) };
}

/** Procedure names whose weighted terms are kept per snapshot. */
const NAME_CACHE = 4096;

/** Hybrid retrieval over one snapshot: exact lookups, BM25F over both key spaces, HNSW, fused per document. */
export class Retriever {
  /**
   * Weighted folded terms of procedure names, computed when a procedure first reaches a head;
   * bounded (about 3 kB a name: the 2,642 tthc procedures held 8.3 MB).
   */
  private readonly names = new Lru<
    number,
    { terms: WeightedTerm[]; operations: Operation[]; levels: Level[]; everyday: WeightedTerm[][] }
  >(NAME_CACHE);

  constructor(
    readonly snapshot: IndexSnapshot,
    readonly params: RetrieverParams = DEFAULT_RETRIEVER,
    /** A cross-encoder endpoint that re-orders the first results (RERANK_BASE_URL); none by default. */
    readonly reranker: Reranker | null = null,
  ) {
    this.contiguous = isNonDecreasing(snapshot.chunkDoc);
    // Learned once here, while the index loads, rather than by the first question.
    void snapshot.lexicon;
    snapshot.lexical.pairFoldedTwins(params.query.folded);
  }

  /** Retrieves the best documents for a query. */
  async retrieve(query: string, options: RetrieveOptions = {}): Promise<RetrievalResult> {
    const k = options.k ?? 10;
    const chunksPerDoc = options.chunksPerDoc ?? 3;
    const allowed = this.allowFilter(options);
    const q = analyzeQuery(query, this.snapshot.restorer, this.params.query, this.snapshot.lexicon);
    const vector = await this.vectorScores(q, allowed);
    // Nothing below awaits, so the scratch arrays of lexicalScores() serve this query until it returns.
    const { docScores: lexical, chunkScores } = this.lexicalScores(q, allowed);
    const exact = this.exactMatches(q, allowed);
    const docs = this.snapshot.documents;
    let fused = fuse(lexical, vector, exact, this.params.fusion);
    const subject = new Set(q.subjectTerms ?? []);
    const levels = questionLevels(q.normalized, q.withoutDiacritics);
    // Matched once per document: the head is re-ranked by it, the results report its share.
    const matches = new Map<number, NameMatch | null>();
    const nameMatch = (doc: number): NameMatch | null => {
      let m = matches.get(doc);
      if (m === undefined) matches.set(doc, (m = this.nameMatch(doc, subject, levels)));
      return m;
    };
    fused = rerankByNameCoverage(fused, nameMatch, this.params.nameCoverage);
    fused = preferForeignVariants(
      fused,
      q.normalized,
      (doc) => (docs[doc]!.kind === 'procedure' ? docs[doc]!.title : null),
      this.params.nameCoverage.depth,
      this.params.foreignVariantPenalty,
    );
    if (q.fields.some((f) => PROCEDURE_FIELDS.has(f)) && this.params.otherKindsWhenFieldAsked < 1) {
      // "Giấy tờ gì?", "bao lâu?", "lệ phí?" are answered by procedure records, not by the law behind them.
      const factor = this.params.otherKindsWhenFieldAsked;
      fused = fused
        .map((f) =>
          docs[f.doc]!.kind === 'procedure' || exact.has(f.doc) ? f : { ...f, score: f.score * factor },
        )
        .sort((a, b) => b.score - a.score || a.doc - b.doc);
    }
    // A code or number named in the message is what it asks about, whatever the conversation's field.
    if (options.domain && this.params.domainBoost > 0 && exact.size === 0)
      fused = preferDomain(
        fused,
        (doc) => docs[doc]!.procedure?.domain === options.domain,
        this.params.nameCoverage.depth,
        this.params.domainBoost,
      );
    // A code or number named is answered as named; otherwise the endpoint, if any, sees a deeper head.
    const rerank = this.reranker && exact.size === 0 && fused.length > 1 ? this.reranker : null;
    const depth = rerank ? Math.max(k, rerank.setting.depth) : k;
    const results = fused.slice(0, depth).map((f) => {
      const name = nameMatch(f.doc);
      return {
        doc: docs[f.doc]!,
        score: f.score,
        lexicalRank: f.lexicalRank,
        vectorRank: f.vectorRank,
        exact: exact.has(f.doc),
        ...(name ? { nameShare: name.share } : {}),
        ...(vector.has(f.doc) ? { similarity: vector.get(f.doc)! } : {}),
        chunks: this.bestChunks(f.doc, chunkScores, q, chunksPerDoc),
      };
    });
    if (!rerank) return { query: q, results };
    return { query: q, ...(await reranked(rerank, q.original, results, k)) };
  }

  /** Use and size of the caches of this snapshot's retrieval, for /metrics. */
  cacheStats(): {
    procedureNames: CacheStats;
    lexicalTerms: CacheStats;
    decodedPostings: { terms: number; bytes: number; budget: number };
  } {
    return {
      procedureNames: this.names.stats(),
      lexicalTerms: this.snapshot.lexical.termCacheStats(),
      decodedPostings: this.snapshot.lexical.decodedStats(),
    };
  }

  /**
   * How a procedure's name matches the question: the covered share, whether its operation goes
   * unmentioned, whether it lacks the one asked for and whether it states another level than the
   * question's `levels`; null for other kinds of document, whose titles are not names of a service.
   */
  private nameMatch(doc: number, subject: ReadonlySet<string>, levels: readonly Level[]): NameMatch | null {
    const meta = this.snapshot.documents[doc]!;
    if (meta.kind !== 'procedure') return null;
    let name = this.names.get(doc);
    if (!name) {
      const { lexical } = this.snapshot;
      const df = (t: string) => lexical.documentFrequency(t);
      name = {
        ...nameProfile(meta.title, lexical.size, df),
        everyday: (meta.procedure?.everydayNames ?? []).map((n) => weightedNameTerms(n, lexical.size, df)),
      };
      this.names.set(doc, name);
    }
    const w = this.params.nameCoverage.everydayWeight;
    let share = coverage(name.terms, subject);
    if (w > 0) for (const e of name.everyday) share = Math.max(share, w * coverage(e, subject));
    return {
      share,
      missesOperation: missesOperation(name.operations, subject),
      lacksAskedOperation: lacksAskedOperation(name, subject),
      otherLevel: otherLevel(name.levels, levels),
    };
  }

  private allowFilter(options: RetrieveOptions): (doc: number) => boolean {
    const audience = options.audience ?? 'public';
    const excluded = new Set<ValidityStatus>(options.excludeStatuses ?? ['het_hieu_luc_toan_bo']);
    const docs = this.snapshot.documents;
    return (doc) => {
      const meta = docs[doc]!;
      return (audience === 'internal' || meta.audience === 'public') && !excluded.has(meta.status);
    };
  }

  /**
   * Scratch arrays of lexicalScores(), reused by every query (cleared at its start): per passage
   * its score, per document its best and second-best passage score (when a document's passages
   * are not contiguous).
   */
  private chunkScores = new Float32Array(0);
  private best1 = new Float64Array(0);
  private best2 = new Float64Array(0);
  /** True when every document's passages are contiguous (as builds lay them out). */
  private readonly contiguous: boolean;

  /**
   * BM25F per passage, then per document: best passage plus a little of the second best. The
   * passage scores returned are the retriever's scratch array, valid until the next call.
   */
  private lexicalScores(
    q: AnalyzedQuery,
    allowed: (doc: number) => boolean,
  ): { docScores: DocScores; chunkScores: Float32Array } {
    const { lexical, chunkDoc } = this.snapshot;
    if (this.chunkScores.length !== lexical.size) this.chunkScores = new Float32Array(lexical.size);
    else this.chunkScores.fill(0);
    const { chunkScores } = this;
    lexical.accumulate(q.terms, chunkScores);
    const second = this.params.secondChunk;
    // Scores are positive where a term matched; documents come in the order of their first such passage.
    if (this.contiguous) {
      const docs: number[] = [];
      const scores: number[] = [];
      const n = chunkScores.length;
      let item = 0;
      while (item < n) {
        const doc = chunkDoc[item]!;
        let a = 0;
        let b = 0;
        for (; item < n && chunkDoc[item] === doc; item++) {
          const s = chunkScores[item]!;
          if (s > a) {
            b = a;
            a = s;
          } else if (s > b) b = s;
        }
        if (a !== 0 && allowed(doc)) {
          docs.push(doc);
          scores.push(a + second * b);
        }
      }
      return {
        docScores: { docs: Uint32Array.from(docs), scores: Float64Array.from(scores), count: docs.length },
        chunkScores,
      };
    }
    const nDocs = this.snapshot.documents.length;
    if (this.best1.length !== nDocs) {
      this.best1 = new Float64Array(nDocs);
      this.best2 = new Float64Array(nDocs);
    } else {
      this.best1.fill(0);
      this.best2.fill(0);
    }
    const { best1, best2 } = this;
    const touched: number[] = [];
    for (let item = 0; item < chunkScores.length; item++) {
      const s = chunkScores[item]!;
      if (s === 0) continue;
      const doc = chunkDoc[item]!;
      const a = best1[doc]!;
      if (a === 0) {
        touched.push(doc);
        best1[doc] = s;
      } else if (s > a) {
        best1[doc] = s;
        best2[doc] = a;
      } else if (s > best2[doc]!) best2[doc] = s;
    }
    const docs = new Uint32Array(touched.length);
    const scores = new Float64Array(touched.length);
    let count = 0;
    for (const doc of touched) {
      if (allowed(doc)) {
        docs[count] = doc;
        scores[count++] = best1[doc]! + second * best2[doc]!;
      }
    }
    return { docScores: { docs, scores, count }, chunkScores };
  }

  private async vectorScores(
    q: AnalyzedQuery,
    allowed: (doc: number) => boolean,
  ): Promise<Map<number, number>> {
    const { vector, chunkDoc } = this.snapshot;
    const scores = new Map<number, number>();
    if (!vector || this.params.fusion.vectorWeight === 0) return scores;
    for (const hit of await vector.search(q.expanded, this.params.vectorCandidates)) {
      const doc = chunkDoc[hit.item]!;
      if (allowed(doc) && hit.similarity > (scores.get(doc) ?? -Infinity)) scores.set(doc, hit.similarity);
    }
    return scores;
  }

  /** Documents whose procedure code or document number the query names. */
  private exactMatches(q: AnalyzedQuery, allowed: (doc: number) => boolean): Set<number> {
    const out = new Set<number>();
    if (q.procedureCodes.length === 0 && q.documentNumbers.length === 0) return out;
    const codes = new Set(q.procedureCodes);
    const numbers = new Set(q.documentNumbers);
    this.snapshot.documents.forEach((d, i) => {
      const code = d.procedure ? baseProcedureCode(d.procedure.code) : null;
      const hit =
        (code !== null && codes.has(code)) ||
        (d.number !== undefined && numbers.has(documentNumberKey(d.number)));
      if (hit && allowed(i)) out.add(i);
    });
    return out;
  }

  /** A document's best passages: the asked-for field first, then by lexical score. */
  private bestChunks(doc: number, chunkScores: Float32Array, q: AnalyzedQuery, n: number): RetrievedChunk[] {
    const { chunks, chunkDoc } = this.snapshot;
    const mine: RetrievedChunk[] = [];
    for (let i = firstChunkOf(chunkDoc, doc); i < chunks.length && chunkDoc[i] === doc; i++) {
      mine.push({ chunk: chunks[i]!, score: chunkScores[i]! });
    }
    const wanted = new Set<string>(q.fields);
    mine.sort(
      (a, b) =>
        Number(wanted.has(b.chunk.field ?? '')) - Number(wanted.has(a.chunk.field ?? '')) ||
        b.score - a.score,
    );
    return mine.slice(0, n);
  }
}

function isNonDecreasing(a: Uint32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i]! < a[i - 1]!) return false;
  return true;
}

/** Index of the first passage of document `doc`: passages are contiguous, so binary search over document order. */
export function firstChunkOf(chunkDoc: Uint32Array, doc: number): number {
  let lo = 0;
  let hi = chunkDoc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (chunkDoc[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds `boost` times the first score to each of the first `depth` candidates that `inDomain`
 * accepts, and sorts them again.
 */
export function preferDomain(
  fused: readonly FusedDocument[],
  inDomain: (doc: number) => boolean,
  depth: number,
  boost: number,
): FusedDocument[] {
  const first = fused[0]?.score ?? 0;
  if (first <= 0) return [...fused];
  return rescoreHead(fused, depth, (f) => (inDomain(f.doc) ? { ...f, score: f.score + boost * first } : f));
}
