import { fixedPort, spawnApp, type SpawnedApp } from '@edge/testing';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

export const USER_SCOPE = 'openid offline_access catalog:read orders:read orders:write profile:read recommendations:read';
export const mobileApp = { clientId: 'mobile-app', redirectUri: 'http://127.0.0.1/callback' };
export const webBff = { clientId: 'bff-web', clientSecret: 'bff-web-secret', redirectUri: 'http://localhost:3001/web/callback' };

/** The claims dev-idp puts in access tokens. */
export interface AccessClaims extends JWTPayload {
  sub: string;
  scope?: string;
  client_id: string;
  tenant?: string;
  act?: { sub: string };
}

export interface RunningIdp {
  app: SpawnedApp;
  /** http://localhost:<port>, as clients name it (the process listens on 127.0.0.1). */
  issuer: string;
  /** Verifies an access token against dev-idp's published JWKS. */
  verifyAccessToken(token: string, audience?: string): Promise<AccessClaims>;
  metrics(): Promise<string>;
}

/** Starts the built dev-idp on a free port with the issuer clients use. */
export async function startIdp(env: Record<string, string> = {}): Promise<RunningIdp> {
  const port = await fixedPort();
  const issuer = `http://localhost:${port}`;
  const app = await spawnApp('dev-idp', { port, env: { OIDC_ISSUER: issuer, ...env } });
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  return {
    app,
    issuer,
    async verifyAccessToken(token, audience = 'edge-api') {
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, audience, algorithms: ['RS256'], typ: 'at+jwt' });
      expect(protectedHeader.alg).toBe('RS256');
      return payload as AccessClaims;
    },
    async metrics() {
      const res = await fetch(`${issuer}/metrics`);
      return res.text();
    },
  };
}

/** The value of one Prometheus sample whose labels include `labels` (0 when absent). */
export function sampleValue(exposition: string, name: string, labels: Record<string, string>): number {
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
