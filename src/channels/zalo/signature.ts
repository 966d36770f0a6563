import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Zalo's event signature (DESIGN §6): plain SHA-256, hex, of `app_id + raw body + timestamp +
 * OA secret key`, sent as `X-ZEvent-Signature: mac=<hex>`. Not an HMAC, and the key is the OA
 * secret key, not the app secret.
 */
export function zaloSignature(
  appId: string,
  rawBody: Buffer | string,
  timestamp: string,
  oaSecretKey: string,
): string {
  return createHash('sha256')
    .update(appId)
    .update(rawBody)
    .update(timestamp)
    .update(oaSecretKey)
    .digest('hex');
}

/** The hex digest of a `mac=<hex>` header, or null when the header is missing or malformed. */
export function parseSignatureHeader(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const m = /^\s*mac=([0-9a-fA-F]{64})\s*$/u.exec(value ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** Constant-time comparison of two hex digests of the same length. */
export function sameDigest(expectedHex: string, givenHex: string): boolean {
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(givenHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}
