import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

export type AsymmetricKeyType = 'RSA' | 'EC' | 'OKP';

/** A public key from the JWKS, imported once. */
export interface VerificationKey {
  readonly kid: string | undefined;
  readonly kty: AsymmetricKeyType;
  /** `alg` the JWK pins, if any. */
  readonly alg: string | undefined;
  readonly crv: string | undefined;
  readonly key: KeyObject;
}

const curveOf: Record<string, readonly string[]> = {
  ES256: ['P-256'],
  ES384: ['P-384'],
  ES512: ['P-521'],
  EdDSA: ['Ed25519', 'Ed448'],
  Ed25519: ['Ed25519'],
};

/** Whether a key may verify a signature made with `alg` (kty, curve and a pinned alg must agree). */
export function keySupportsAlg(key: VerificationKey, alg: string): boolean {
  if (key.alg !== undefined && key.alg !== alg && !(key.alg === 'EdDSA' && alg === 'Ed25519') && !(key.alg === 'Ed25519' && alg === 'EdDSA')) return false;
  if (/^(RS|PS)(256|384|512)$/.test(alg)) return key.kty === 'RSA';
  const curves = curveOf[alg];
  if (!curves) return false;
  return (alg.startsWith('ES') ? key.kty === 'EC' : key.kty === 'OKP') && curves.includes(key.crv ?? '');
}

/**
 * Imports one JWK of a JWKS as a verification key, or says why it is skipped: symmetric
 * (`oct`) keys, keys for encryption, private key material and unknown curves are never used.
 */
export function importJwk(jwk: unknown): VerificationKey | string {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return 'not an object';
  const { kty, kid, alg, use, crv, d } = jwk as Record<string, unknown>;
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return `kty ${String(kty)} is not an asymmetric signing key type`;
  if (use !== undefined && use !== 'sig') return `use ${String(use)} is not sig`;
  if (d !== undefined) return 'private key material published in a JWKS';
  if (kid !== undefined && typeof kid !== 'string') return 'kid is not a string';
  if (alg !== undefined && typeof alg !== 'string') return 'alg is not a string';
  if (kty === 'OKP' && crv !== 'Ed25519' && crv !== 'Ed448') return `OKP curve ${String(crv)} is not a signature curve`;
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return { kid, kty, alg, crv: typeof crv === 'string' ? crv : undefined, key };
  } catch (error) {
    return `cannot import: ${(error as Error).message}`;
  }
}
