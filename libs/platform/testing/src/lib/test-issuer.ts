import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { randomUUID } from 'node:crypto';

export interface TestIssuer {
  issuer: string;
  jwksUri: string;
  /** Number of JWKS fetches served (to prove caching and refetch limits). */
  jwksFetches(): number;
  /** Signs a token with the current key; claims override the defaults. */
  mint(claims?: JWTPayload, options?: { expiresInSec?: number; kid?: string; alg?: string; noExp?: boolean }): Promise<string>;
  /** Adds a new current key (the old one stays published unless dropOld). */
  rotate(dropOld?: boolean): Promise<void>;
  close(): Promise<void>;
}

interface Key {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/**
 * A tiny OpenID issuer for unit tests of token-validating code: real RS256 keys, a real
 * JWKS endpoint on loopback, tokens minted on demand. (E2E tests use the real dev-idp.)
 */
export async function startTestIssuer(): Promise<TestIssuer> {
  let keys: Key[] = [await newKey()];
  let fetches = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/jwks') {
      fetches++;
      const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    jwksFetches: () => fetches,
    async mint(claims = {}, options = {}) {
      const key = keys[keys.length - 1] as Key;
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = { iss: issuer, sub: 'alice', aud: 'edge-api', iat: now, scope: 'openid', client_id: 'test', tenant: 'acme', ...claims };
      if (!options.noExp && payload.exp === undefined) payload.exp = now + (options.expiresInSec ?? 300);
      return new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? key.kid, typ: 'at+jwt' }).sign(key.privateKey);
    },
    async rotate(dropOld = false) {
      const key = await newKey();
      keys = dropOld ? [key] : [...keys, key];
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
