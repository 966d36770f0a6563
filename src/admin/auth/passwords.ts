import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../errors.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB, about 50 ms per hash), a 16-byte salt and a 32-byte key. */
export const SCRYPT_DEFAULTS = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** Shortest password the account commands accept, characters. */
export const MIN_PASSWORD_LENGTH = 10;

function derive(password: string, salt: Buffer, keyBytes: number, o: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r, or Node refuses the larger costs a stored hash may carry.
    scrypt(
      password.normalize('NFC'),
      salt,
      keyBytes,
      { ...o, maxmem: 256 * (o.N ?? 1) * (o.r ?? 1) + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/**
 * Hashes a password with scrypt and a random salt: `scrypt$N$r$p$<salt base64>$<key base64>`, so
 * the parameters travel with the hash and can be raised later without breaking old accounts.
 */
export async function hashPassword(
  password: string,
  cost: { N: number; r: number; p: number } = SCRYPT_DEFAULTS,
): Promise<string> {
  const salt = randomBytes(SCRYPT_DEFAULTS.saltBytes);
  const key = await derive(password, salt, SCRYPT_DEFAULTS.keyBytes, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time; a malformed hash is `config_invalid`. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const [kind, n, r, p, salt, key] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (
    parts.length !== 6 ||
    kind !== 'scrypt' ||
    !(N >= 2 && R >= 1 && P >= 1) ||
    !salt ||
    !key ||
    N > 2 ** 20 ||
    R > 64 ||
    P > 16
  ) {
    throw new AppError('config_invalid', 'stored password hash is not in the scrypt$N$r$p$salt$key format');
  }
  const expected = Buffer.from(key, 'base64');
  const given = await derive(password, Buffer.from(salt, 'base64'), expected.length, { N, r: R, p: P });
  return timingSafeEqual(given, expected);
}

/** A hash of nothing anyone knows, checked when the username does not exist so that both cases take as long. */
export async function decoyHash(
  cost: { N: number; r: number; p: number } = SCRYPT_DEFAULTS,
): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64'), cost);
}
