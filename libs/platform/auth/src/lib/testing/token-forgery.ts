// Helpers for this lib's specs only (not exported from the index): hand-made tokens and
// key servers that the shared test issuer cannot produce (EC/OKP keys, hanging IdPs).
import { createHmac, createPublicKey, randomUUID, type JsonWebKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS with whatever header, payload and signature the test wants. */
export function forgeToken(header: Record<string, unknown>, payload: Record<string, unknown>, signature = ''): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** The classic RS/HS confusion: an HS256 MAC keyed with the issuer's *public* key PEM. */
export function hmacWithPublicKey(jwk: JWK, payload: Record<string, unknown>): string {
  const pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid })}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
}

/** Replaces the payload of a signed token, keeping its header and signature. */
export function withPayload(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split('.');
  return `${header}.${b64(payload)}.${signature}`;
}

/** Flips one character in the middle of the signature (the last one may only hit padding bits). */
export function withBrokenSignature(token: string): string {
  const [header, payload, signature = ''] = token.split('.');
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

export function decodePayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface SigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(alg: 'ES256' | 'EdDSA' | 'PS256' | 'RS256', options: { crv?: string } = {}): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(options.crv ? { crv: options.crv } : {}) });
  const kid = randomUUID();
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' } };
}

export function sign(key: SigningKey, payload: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header }).sign(key.privateKey);
}

export interface KeyServer {
  url: string;
  jwksUri: string;
  fetches(): number;
  setKeys(keys: JWK[]): void;
  /** When true, requests are accepted and never answered. */
  hang(on: boolean): void;
  close(): Promise<void>;
}

/** A JWKS endpoint serving the given public keys (and a discovery document). */
export async function startKeyServer(initial: JWK[], options: { discovery?: boolean } = {}): Promise<KeyServer> {
  let keys = initial;
  let fetches = 0;
  let hanging = false;
  const server: Server = createServer((req, res) => {
    if (hanging) return;
    if (req.url === '/.well-known/openid-configuration' && options.discovery) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: url, jwks_uri: `${url}/keys` }));
      return;
    }
    if (req.url === '/keys' || (req.url === '/jwks' && !options.discovery)) {
      fetches++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    jwksUri: options.discovery ? `${url}/keys` : `${url}/jwks`,
    fetches: () => fetches,
    setKeys: (k) => {
      keys = k;
    },
    hang: (on) => {
      hanging = on;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The public JWKS of a test issuer (to forge RS/HS confusion tokens with its public key). */
export async function publicJwks(jwksUri: string): Promise<JWK[]> {
  const res = await fetch(jwksUri);
  return ((await res.json()) as { keys: JWK[] }).keys;
}
