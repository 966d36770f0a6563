import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheStats } from '../../lib/lru.js';

/** The app's Prometheus metrics, in their own registry so two apps in one process do not clash. */
export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<'method' | 'route' | 'status'>;
  answers: Counter<'channel' | 'outcome'>;
  indexDocuments: Gauge;
  zaloEvents: Counter<'kind'>;
  llmFallbacks: Counter<'step' | 'code'>;
}

/** Creates the registry with process metrics, request latency, answers by outcome and index size. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    answers: new Counter({
      name: 'assistant_answers_total',
      help: 'Answers by channel and outcome (grounded, declined, smalltalk, error)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    indexDocuments: new Gauge({
      name: 'index_documents',
      help: 'Documents in the live index snapshot',
      registers: [registry],
    }),
    llmFallbacks: new Counter({
      name: 'llm_fallbacks_total',
      help: 'LLM steps that failed and were answered by the extractive path instead, by step (rewrite, compose) and error code',
      labelNames: ['step', 'code'],
      registers: [registry],
    }),
    zaloEvents: new Counter({
      name: 'zalo_events_total',
      help: 'Zalo webhook events after acknowledgement, by what was done: answered, follow, media, duplicate, rate_limited, ignored',
      labelNames: ['kind'],
      registers: [registry],
    }),
  };
}

/**
 * Exposes a bounded cache's hits, misses, hit ratio, entries and capacity as `<name>_hits`,
 * `<name>_misses`, `<name>_hit_ratio`, `<name>_entries` and `<name>_capacity`, read when /metrics
 * is scraped.
 */
export function registerCacheMetrics(metrics: Metrics, name: string, stats: () => CacheStats): void {
  const what = `the ${name.replace(/_/gu, ' ')}`;
  const gauge = (suffix: string, help: string, read: (s: CacheStats) => number) =>
    registerGauge(metrics, `${name}_${suffix}`, help, () => read(stats()));
  gauge('hits', `Lookups answered by ${what} since start`, (s) => s.hits);
  gauge('misses', `Lookups ${what} could not answer since start`, (s) => s.misses);
  gauge('hit_ratio', `Share of lookups answered by ${what} since start (0 before the first)`, (s) =>
    s.hits + s.misses === 0 ? 0 : s.hits / (s.hits + s.misses),
  );
  gauge('entries', `Entries held by ${what}`, (s) => s.entries);
  gauge('capacity', `Most entries ${what} holds`, (s) => s.capacity);
}

/** A gauge read when /metrics is scraped. */
export function registerGauge(metrics: Metrics, name: string, help: string, read: () => number): void {
  new Gauge({
    name,
    help,
    registers: [metrics.registry],
    collect() {
      this.set(read());
    },
  });
}

/** Records request durations labelled by the matched route pattern, never the raw URL. */
export function metricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.requestDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({ route: typeof route === 'string' ? route : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}
