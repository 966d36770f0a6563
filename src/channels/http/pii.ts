/**
 * Masks personal data in text bound for logs (DESIGN §7): CCCD (12 digits) and CMND (9 digits)
 * numbers, Vietnamese phone numbers and e-mail addresses. Procedure codes ("1.001193"), document
 * numbers ("123/2015/NĐ-CP"), dates and amounts of money stay readable.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
/** +84 / 84 / 0 followed by 9–10 digits, optionally grouped by spaces, dots or dashes. */
const PHONE = /(?<![\p{L}\p{N}./])(?:\+84|84|0)(?:[ .-]?\d){8,10}(?![\p{N}/]|\.\d)/gu;
/** Runs of 9 or 12 digits (CMND, CCCD), not inside longer numbers, codes or amounts. */
const ID_NUMBER = /(?<![\p{N}.,/])(\d{12}|\d{9})(?![\p{N}/]|[.,]\d)/gu;

/** Returns the text with CCCD/CMND numbers, phone numbers and e-mail addresses replaced by placeholders. */
export function maskPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[SĐT]').replace(ID_NUMBER, (d) => (d.length === 12 ? '[CCCD]' : '[CMND]'));
}

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
