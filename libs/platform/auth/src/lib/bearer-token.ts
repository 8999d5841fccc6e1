import { TokenError } from './token-error';

/** Larger tokens are refused before any parsing (a JWT access token is a few KB at most). */
export const MAX_TOKEN_LENGTH = 16 * 1024;

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The token of an `Authorization: Bearer <token>` header (RFC 6750 §2.1). No header is
 * `missing`; anything else that is not exactly one well-formed bearer credential is `malformed`.
 */
export function extractBearerToken(header: string | readonly string[] | undefined): string {
  if (header === undefined || header === '') throw new TokenError('missing');
  if (typeof header !== 'string') throw new TokenError('malformed');
  if (header.length > MAX_TOKEN_LENGTH + 16) throw new TokenError('malformed');
  const match = BEARER.exec(header);
  if (!match) throw new TokenError('malformed');
  return match[1] as string;
}
