import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../../errors.js';
import { Lru, type CacheStats } from '../../lib/lru.js';

/** Token buckets by key (IP, conversation, user), with bounded memory. */
export interface RateLimiter {
  /** Takes one token; when none is left, says how many seconds until the next. */
  take(key: string): { allowed: boolean; retryAfterS: number };
  /** Buckets kept (a hit is a key that already had one), for /metrics. */
  stats(): CacheStats;
}

/** Creates a limiter: `capacity` requests at once, refilled at `refillPerSecond`; at most `maxKeys` buckets kept (about 0.2 kB each). */
export function createRateLimiter(options: {
  capacity: number;
  refillPerSecond: number;
  maxKeys?: number;
  now?: () => number;
}): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Lru<string, { tokens: number; at: number }>(maxKeys);
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: options.capacity, at: t };
      b.tokens = Math.min(options.capacity, b.tokens + ((t - b.at) / 1000) * options.refillPerSecond);
      b.at = t;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return { allowed: true, retryAfterS: 0 };
      }
      return {
        allowed: false,
        retryAfterS: Math.max(1, Math.ceil((1 - b.tokens) / options.refillPerSecond)),
      };
    },
    stats: () => buckets.stats(),
  };
}

/** Express middleware limiting by client IP; 429 with Retry-After and a Vietnamese message. */
export function rateLimitByIp(limiter: RateLimiter) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const r = limiter.take(`ip:${req.ip ?? 'unknown'}`);
    if (r.allowed) return next();
    res.setHeader('Retry-After', String(r.retryAfterS));
    next(
      new AppError('rate_limited', `Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau ${r.retryAfterS} giây.`),
    );
  };
}
