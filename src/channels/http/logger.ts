import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPii } from '../../text/index.js';
import { maskDeep } from './pii.js';

/** A structured JSON logger whose messages and fields have personal data masked. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: undefined,
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPii(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    options.destination,
  );
}

/** Logs each request once it finishes: method, route path (no query string), status, duration in ms, request id. */
export function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
    res.setHeader('X-Request-Id', id);
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // A stream answers 200 before it knows how it ends; a route that failed mid-stream says so in res.locals.
      const streamError = typeof res.locals.streamError === 'string' ? res.locals.streamError : undefined;
      const entry = {
        reqId: id,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        ...(streamError ? { streamError } : {}),
      };
      if (res.statusCode >= 500 || streamError) logger.error(entry, 'request failed');
      else logger.info(entry, 'request');
    });
    next();
  };
}
