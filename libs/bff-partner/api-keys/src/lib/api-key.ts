import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key format: `pk_<id>_<secret>`. The id (16 × [a-z0-9]) is public: it names the record and
 * shows up in listings and logs. The secret is 32 random bytes (base64url, 43 chars): with
 * 256 bits of entropy a fast hash is enough (nobody can brute-force the preimage), so the
 * store keeps SHA-256 of the whole key and never the key itself.
 */
const KEY_PATTERN = /^pk_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Longer values are not even looked at (a header can be 16 KiB). */
export const MAX_API_KEY_LENGTH = 128;

export interface GeneratedApiKey {
  id: string;
  /** The plain key: shown once at creation, never stored. */
  key: string;
  hash: string;
}

function randomId(): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 36).
  let id = '';
  while (id.length < 16) {
    for (const byte of randomBytes(32)) {
      if (byte < 252 && id.length < 16) id += ID_ALPHABET[byte % 36];
    }
  }
  return id;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomId();
  const key = `pk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** The id of a well-formed key, or undefined for anything else. */
export function apiKeyId(key: string): string | undefined {
  if (key.length > MAX_API_KEY_LENGTH) return undefined;
  return KEY_PATTERN.exec(key)?.[1];
}

/** Constant-time comparison of a presented key with a stored hash. */
export function matchesHash(key: string, storedHash: string): boolean {
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
