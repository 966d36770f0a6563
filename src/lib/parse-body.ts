import type { z } from 'zod';
import { AppError } from '../errors.js';

/** Parses a body with a schema; a failure is a 400 naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    throw new AppError('bad_request', `${where}${first?.message ?? 'invalid body'}`);
  }
  return parsed.data;
}
