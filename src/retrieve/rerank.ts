/**
 * Re-ranking of the first results by a cross-encoder served over HTTP (a plug-in: nothing of it
 * runs without RERANK_BASE_URL). A cross-encoder reads the question and each candidate together,
 * so it can tell "mua lại xe của hàng xóm" from "đăng ký xe lần đầu" where words alone cannot; it
 * needs a model this project cannot bundle (bge-reranker-v2-m3 or the like, on a GPU server).
 *
 * Two request shapes are spoken: `cohere` (Cohere, Jina, vLLM, Infinity, LocalAI:
 * `{model, query, documents}` → `{results: [{index, relevance_score}]}`) and `tei` (Hugging Face
 * text-embeddings-inference: `{query, texts}` → `[{index, score}]`). Either answer is read
 * whatever was asked.
 *
 * The service is never in the way: a failure, a timeout or an answer it cannot read keeps the
 * retriever's own order, and after a failure the endpoint is left alone for a cool-down, so an
 * outage costs one timeout, not one per question.
 */

/** How the re-ranking endpoint is reached and how much its order weighs. */
export interface RerankerSetting {
  /** Base URL; `/rerank` is appended (`http://gpu:8000/v1` → `http://gpu:8000/v1/rerank`). */
  baseUrl: string;
  api: 'cohere' | 'tei';
  model?: string;
  apiKey?: string;
  /** Milliseconds one request may take before the retriever's order is kept. */
  timeoutMs: number;
  /** Candidates sent (the first results of the retriever). */
  depth: number;
  /**
   * Weight of the endpoint's scores against the retriever's, both scaled to 0–1 over the
   * candidates: 1 is the endpoint's order, 0 the retriever's.
   */
  weight: number;
}

/** Characters of a candidate sent: its title, then its best passage. */
export const RERANK_TEXT_CHARS = 1200;

/** Milliseconds the endpoint is left alone after a failure. */
export const RERANK_COOL_DOWN_MS = 30_000;

/** Counts since start, for /metrics. */
export interface RerankStats {
  requests: number;
  failures: number;
  /** Questions left in the retriever's order while the endpoint cooled down. */
  skipped: number;
}

/** Scores candidates for a question; null when it cannot (the caller keeps its order). */
export interface Reranker {
  readonly setting: RerankerSetting;
  score(query: string, texts: string[]): Promise<number[] | null>;
  stats(): RerankStats;
}

/** Reads either answer shape; null when it is neither or does not score every candidate once. */
export function parseRerankAnswer(body: unknown, expected: number): number[] | null {
  const items = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { results?: unknown }).results)
      ? (body as { results: unknown[] }).results
      : null;
  if (!items || items.length !== expected) return null;
  const scores = new Array<number>(expected).fill(Number.NaN);
  for (const item of items) {
    if (!item || typeof item !== 'object') return null;
    const { index, relevance_score: relevance, score } = item as Record<string, unknown>;
    const value = typeof relevance === 'number' ? relevance : score;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= expected) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || !Number.isNaN(scores[index]!)) return null;
    scores[index] = value;
  }
  return scores;
}

/** Client of a re-ranking endpoint (see the module comment). */
export class EndpointReranker implements Reranker {
  private readonly url: string;
  private coolUntil = 0;
  private readonly counts: RerankStats = { requests: 0, failures: 0, skipped: 0 };

  constructor(
    readonly setting: RerankerSetting,
    /** Told of each failure, with the reason (the retriever's order is kept). */
    private readonly onFailure: (reason: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.url = `${setting.baseUrl.replace(/\/+$/, '')}/rerank`;
  }

  stats(): RerankStats {
    return { ...this.counts };
  }

  async score(query: string, texts: string[]): Promise<number[] | null> {
    if (texts.length === 0) return [];
    if (this.now() < this.coolUntil) {
      this.counts.skipped++;
      return null;
    }
    this.counts.requests++;
    const { api, model, apiKey, timeoutMs } = this.setting;
    const body =
      api === 'tei'
        ? { query, texts, truncate: true }
        : { ...(model ? { model } : {}), query, documents: texts, return_documents: false };
    let reason: string;
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (res.ok) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        const scores = parseRerankAnswer(parsed, texts.length);
        if (scores) return scores;
        reason = `${this.url}: the answer does not score the ${texts.length} candidates (expected "results" with index and relevance_score, or a list of index and score)`;
      } else {
        reason = `${this.url} answered HTTP ${res.status}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`;
      }
    } catch (err) {
      const e = err as Error;
      reason =
        e.name === 'TimeoutError'
          ? `${this.url}: no answer within ${timeoutMs} ms`
          : `${this.url}: ${e.message}`;
    }
    this.counts.failures++;
    this.coolUntil = this.now() + RERANK_COOL_DOWN_MS;
    this.onFailure(reason);
    return null;
  }
}

/** Scales values to 0–1 (all equal: all 0). */
function unit(values: readonly number[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  return values.map((v) => (span > 0 ? (v - lo) / span : 0));
}

/**
 * The order of the candidates after blending the endpoint's scores with the retriever's (both
 * scaled to 0–1; `weight` is the endpoint's share): indexes into `retrieverScores`, best first,
 * ties in the retriever's order.
 */
export function blendedOrder(
  retrieverScores: readonly number[],
  rerankScores: readonly number[],
  weight: number,
): number[] {
  const a = unit(retrieverScores);
  const b = unit(rerankScores);
  const blended = a.map((x, i) => (1 - weight) * x + weight * b[i]!);
  return blended.map((_, i) => i).sort((i, j) => blended[j]! - blended[i]! || i - j);
}
