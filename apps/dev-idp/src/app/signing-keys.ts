import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { JWK } from 'oidc-provider';

export interface SigningKeys {
  /** Private JWKs for oidc-provider (it signs ID tokens and JWT access tokens with them). */
  privateJwks: { keys: JWK[] };
  /** What /jwks publishes; dev-idp verifies subject tokens of token exchange against it. */
  publicJwks: { keys: JWK[] };
}

const publicPart = (jwk: JsonWebKey, kid: string): JWK => {
  const { kty, n, e } = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'jwk' });
  return { kty, n, e, kid, alg: 'RS256', use: 'sig' };
};

/** A fresh RS256 (2048-bit RSA) key: the cheapest signature to verify at the edge (DESIGN.md §5). */
export function generateSigningKeys(): SigningKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    privateJwks: { keys: [{ ...(jwk as JWK), kid, alg: 'RS256', use: 'sig' }] },
    publicJwks: { keys: [publicPart(jwk, kid)] },
  };
}

/**
 * Keys from a JSON file `{"keys": [<private RSA JWK with kid>, ...]}` (DEV_IDP_JWKS_FILE), so
 * that tokens stay valid across restarts. The first key signs.
 */
export function loadSigningKeys(file: string): SigningKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`DEV_IDP_JWKS_FILE ${file}: not a readable JSON file`, { cause });
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`DEV_IDP_JWKS_FILE ${file}: expected {"keys": [...]} with at least one key`);
  const privateKeys: JWK[] = [];
  const publicKeys: JWK[] = [];
  keys.forEach((raw: unknown, i) => {
    const jwk = raw as JsonWebKey & { kid?: unknown };
    if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string' || jwk.kid === '') {
      throw new Error(`DEV_IDP_JWKS_FILE ${file}: keys[${i}] must be a private RSA JWK with a kid`);
    }
    try {
      createPrivateKey({ key: jwk, format: 'jwk' });
    } catch (cause) {
      throw new Error(`DEV_IDP_JWKS_FILE ${file}: keys[${i}] is not a usable RSA private key`, { cause });
    }
    privateKeys.push({ ...(jwk as JWK), alg: 'RS256', use: 'sig' });
    publicKeys.push(publicPart(jwk, jwk.kid));
  });
  return { privateJwks: { keys: privateKeys }, publicJwks: { keys: publicKeys } };
}
