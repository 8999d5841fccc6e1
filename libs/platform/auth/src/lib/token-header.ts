import { TokenError } from './token-error';
import { MAX_TOKEN_LENGTH } from './bearer-token';

export interface TokenHeader {
  alg: string;
  kid: string | undefined;
}

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Structural checks before any key lookup or crypto: three base64url parts, a JSON header
 * with an allowed `alg` (checked case-sensitively, so `none`, `NONE` and `HS256` all fail
 * here), an optional string `kid`, and no `crit` extensions we do not implement.
 */
export function inspectTokenHeader(token: string, allowed: readonly string[]): TokenHeader {
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenError('malformed');
  const parts = token.split('.');
  if (parts.length !== 3 || !B64URL.test(parts[0] ?? '') || !B64URL.test(parts[1] ?? '')) throw new TokenError('malformed');
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new TokenError('malformed', { cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new TokenError('malformed');
  const { alg, kid, crit } = header as Record<string, unknown>;
  if (typeof alg !== 'string') throw new TokenError('malformed');
  if (!allowed.includes(alg)) throw new TokenError('alg-not-allowed');
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0 || kid.length > 256)) throw new TokenError('malformed');
  if (crit !== undefined) throw new TokenError('malformed');
  if (!B64URL.test(parts[2] ?? '')) throw new TokenError('malformed');
  return { alg, kid };
}
