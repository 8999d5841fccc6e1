import { createHash } from 'node:crypto';
import { sessionKey, type SessionKey } from './session-cipher';

/**
 * The development key: derived from a public string, so it protects nothing. It lets
 * `npm start` and tests run without configuration (and several dev instances share
 * sessions through Redis); `parseSessionKeys` refuses it when NODE_ENV=production.
 */
export const DEV_SESSION_KEY_MATERIAL = 'edge-platform bff-web development session key (not secret)';

function decodeKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    return bytes.length === 32 ? bytes : undefined;
  }
  return undefined;
}

export interface ParsedSessionKeys {
  keys: SessionKey[];
  /** True when no key was configured and the development key is in use. */
  development: boolean;
}

/**
 * SESSION_ENCRYPTION_KEY: one or more comma-separated 32-byte keys, hex (64 chars) or
 * base64/base64url (43 chars); the first encrypts, all decrypt (rotation). Problems are
 * returned as messages (never echoing key material).
 */
export function parseSessionKeys(raw: string | undefined, nodeEnv: string | undefined): ParsedSessionKeys | { problem: string } {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) {
    if (nodeEnv === 'production') {
      return { problem: 'is required when NODE_ENV=production (32 random bytes, hex or base64; e.g. `openssl rand -hex 32`)' };
    }
    return { keys: [sessionKey(createHash('sha256').update(DEV_SESSION_KEY_MATERIAL).digest())], development: true };
  }
  const keys: SessionKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const key = decodeKey(entry);
    if (!key) return { problem: `entry ${i + 1} is not a 32-byte key written as 64 hex characters or 43 base64 characters` };
    keys.push(sessionKey(key));
  }
  const devKey = createHash('sha256').update(DEV_SESSION_KEY_MATERIAL).digest();
  if (nodeEnv === 'production' && keys.some((k) => k.key.equals(devKey))) {
    return { problem: 'must not be the public development key when NODE_ENV=production' };
  }
  return { keys, development: false };
}
