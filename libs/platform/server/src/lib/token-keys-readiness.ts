import type { INestApplicationContext } from '@nestjs/common';
import { AccessTokenVerifier } from '@edge/auth/verify';
import type { Readiness } from './readiness';

/**
 * An app that verifies tokens (AuthModule provides an AccessTokenVerifier) is ready only once
 * its key store is (JwksKeyStore.ready: keys loaded, or the IdP found down). Without this a
 * restarted instance took traffic while its first JWKS fetch was still running or had timed
 * out, and answered every token with 503 until it loaded keys.
 */
export function addTokenKeysCheck(app: INestApplicationContext, readiness: Readiness): void {
  let verifier: AccessTokenVerifier;
  try {
    verifier = app.get(AccessTokenVerifier, { strict: false });
  } catch {
    return; // no token verification in this app
  }
  const store = verifier.keyStore;
  readiness.addCheck('jwks', () => store.ready);
}
