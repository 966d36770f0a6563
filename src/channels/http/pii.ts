import { maskPii } from '../../text/index.js';

/** Masks every string inside a value (objects and arrays to a small depth), for structured log fields. */
export function maskDeep(value: unknown, depth = 4): unknown {
  if (typeof value === 'string') return maskPii(value);
  if (depth === 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, depth - 1));
  if (value instanceof Error) return { type: value.name, message: maskPii(value.message) };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v, depth - 1);
  return out;
}
