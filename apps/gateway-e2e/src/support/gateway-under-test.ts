import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnApp, type SpawnedApp } from '@edge/testing';

export interface GatewayUnderTest extends SpawnedApp {
  configFile: string;
  /** Rewrites the config file (hot reload picks it up). */
  writeConfig(yaml: string): void;
}

/** Starts the built gateway with a config written to a temp file. */
export async function startGateway(yaml: string, env: Record<string, string> = {}, readyPath = '/readyz'): Promise<GatewayUnderTest> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gw-'));
  const configFile = path.join(dir, 'gateway.yaml');
  writeFileSync(configFile, yaml);
  const app = await spawnApp('gateway', { env: { LOG_LEVEL: 'info', ...env }, args: ['--config', configFile], readyPath });
  return { ...app, configFile, writeConfig: (text: string) => writeFileSync(configFile, text) };
}

export interface TestConfigOptions {
  upstream: string;
  issuer?: string;
  jwksUri?: string;
  extraClusters?: string;
  extraRoutes?: string;
  cluster?: string;
  trustedProxies?: string[];
  pathParameters?: 'reject' | 'forward';
  https?: { cert: string; key: string };
}

/** A small config: an anonymous echo route, a JWT route with scopes, and room for more. */
export function testConfig(o: TestConfigOptions): string {
  const auth = o.issuer
    ? `
    jwt:
      issuer: ${o.issuer}
      audiences: [edge-api]
      jwksUri: ${o.jwksUri}
      requiredClaims: [sub]
      tenantClaim: tenant
      identityHeaders: { user: x-user-id, tenant: x-tenant-id }
      jwks: { timeoutMs: 1000, cooldownMs: 1000, refreshIntervalMs: 0 }`
    : '';
  return `version: 1
server:
  http: { host: 127.0.0.1, port: 0 }
${o.https ? `  https: { host: 127.0.0.1, port: 0, cert: ${o.https.cert}, key: ${o.https.key} }\n` : ''}  trustedProxies: [${(o.trustedProxies ?? []).join(', ')}]
${o.pathParameters ? `  pathParameters: ${o.pathParameters}\n` : ''}  limits: { maxHeaderBytes: 8192, maxBodyBytes: 65536, defaultRouteTimeoutMs: 5000 }
clusters:
  echo:
    kind: service
    destinations:
      primary: { url: "${o.upstream}" }
${o.cluster ?? ''}
${o.extraClusters ?? ''}
policies:
  auth:
    public: { anonymous: true }${auth}
routes:
  - id: public
    match: { path: /public/** }
    cluster: echo
    rewrite: { stripPrefix: true }
    auth: public
    maxBodyBytes: 1024
${
  o.issuer
    ? `  - id: secure
    match: { path: /secure/** }
    cluster: echo
    auth: jwt
    scopes: [orders:read]
`
    : ''
}${o.extraRoutes ?? ''}`;
}
