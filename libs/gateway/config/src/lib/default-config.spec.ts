import { join } from 'node:path';
import { auditGatewayConfig } from './audit';
import type { CompiledGatewayConfig } from './types/compiled-config.types';
import { loadGatewayConfigFile } from './validate-config';

/** The default configuration shipped with the gateway app (`npm start`). */
const DEFAULT_FILE = join(__dirname, '../../../../../apps/gateway/config/gateway.yaml');

function load(env: Record<string, string> = {}): CompiledGatewayConfig {
  const result = loadGatewayConfigFile(DEFAULT_FILE, env);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.config;
}

describe('apps/gateway/config/gateway.yaml', () => {
  it('validates cleanly with an empty environment (every variable has a default)', () => {
    expect(loadGatewayConfigFile(DEFAULT_FILE, {})).toMatchObject({ ok: true });
  });

  it('uses the DESIGN.md §3 ports and routes', () => {
    const config = load();
    expect(config.server.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.server.https).toBeNull();
    const origin = (cluster: string) => config.clusters[cluster]?.destinations.map((d) => d.origin);
    expect(Object.fromEntries(Object.keys(config.clusters).map((id) => [id, origin(id)]))).toEqual({
      catalog: ['http://127.0.0.1:4101'],
      orders: ['http://127.0.0.1:4102'],
      customers: ['http://127.0.0.1:4103'],
      recommendations: ['http://127.0.0.1:4104'],
      'bff-web': ['http://127.0.0.1:3001'],
      'bff-mobile': ['http://127.0.0.1:3002'],
      'bff-partner': ['http://127.0.0.1:3003'],
    });
    const match = (method: string, path: string) => {
      const m = config.matcher.match(method, path, {});
      return m && [m.route.id, m.upstreamPath];
    };
    expect(match('GET', '/api/catalog/products/1')).toEqual(['catalog', '/products/1']);
    expect(match('POST', '/api/catalog/products')).toBeNull();
    expect(match('GET', '/api/orders/7')).toEqual(['orders-read', '/orders/7']);
    expect(match('POST', '/api/orders')).toEqual(['orders-write', '/orders']);
    expect(match('GET', '/api/users/alice')).toEqual(['users', '/customers/alice']);
    expect(match('GET', '/api/dashboard')).toEqual(['dashboard', '/api/dashboard']);
    expect(match('GET', '/web/login')).toEqual(['web', '/web/login']);
    expect(match('GET', '/mobile/home')).toEqual(['mobile', '/mobile/home']);
    expect(match('POST', '/partner/v1/orders')).toEqual(['partner', '/partner/v1/orders']);
    expect(config.reservedPaths).toEqual(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']);
  });

  it('makes the policy decisions the issues ask for', () => {
    const config = load();
    const route = (id: string) => config.routes.find((r) => r.id === id);
    expect(route('catalog')).toMatchObject({ auth: { kind: 'anonymous' }, match: { methods: ['GET', 'HEAD'] }, cache: { scope: 'shared' } });
    expect(route('catalog')?.rateLimits.map((r) => [r.keyBy, r.window])).toEqual([[['ip'], { limit: 120, windowMs: 60_000 }]]);
    expect(route('orders-read')?.auth).toMatchObject({ kind: 'jwt', audiences: ['orders-api'], issuer: 'http://localhost:4000', jwksUri: 'http://localhost:4000/jwks' });
    expect(route('users')?.auth).toMatchObject({ audiences: ['customers-api'] });
    expect(route('users')?.cache?.scope).toBe('private-per-user');
    expect(route('mobile')?.auth).toMatchObject({ audiences: ['edge-api'] });
    expect(route('web')?.auth.kind).toBe('anonymous');
    expect(config.clusters['bff-web']?.kind).toBe('bff');
    expect(Object.values(config.clusters).filter((c) => c.kind === 'bff').map((c) => c.retries.maxAttempts)).toEqual([1, 1, 1]);
    expect(route('partner')?.auth).toMatchObject({ apiKey: { header: 'x-api-key' } });
    expect(route('partner')?.rateLimits.map((r) => [r.keyBy, r.quotas])).toEqual([
      [['ip'], []],
      [['client'], [{ limit: 100_000, period: 'day' }]],
      [['apiKey'], [{ limit: 100_000, period: 'day' }]],
    ]);
    for (const id of ['orders-read', 'orders-write', 'users', 'dashboard', 'mobile']) {
      expect(route(id)?.rateLimits.map((r) => r.keyBy)).toEqual([['user'], ['tenant']]);
    }
    for (const r of config.routes.filter((x) => x.match.path.startsWith('/api'))) expect(r.cors?.origins).toEqual(['http://localhost:3000']);
    for (const r of config.routes) expect(r.compression).not.toBeNull();
    const dashboard = route('dashboard')?.target;
    expect(dashboard?.kind === 'aggregate' && dashboard.parts.map((p) => [p.key, p.policy, p.cluster.id])).toEqual([
      ['profile', 'required', 'customers'],
      ['orders', 'required', 'orders'],
      ['recommendations', 'optional', 'recommendations'],
    ]);
    expect(config.openapi).toMatchObject({ path: '/openapi.json', docsPath: '/docs' });
    expect(route('web')?.internal).toBe(true);
  });

  it('takes every URL and port from the environment', () => {
    const config = load({ PORT: '18080', HOST: '0.0.0.0', CATALOG_URL: 'http://10.0.0.5:9000', OIDC_ISSUER: 'http://127.0.0.1:4999', BFF_PARTNER_URL: 'https://partner.internal', TLS_CERT_FILE: '/tls/c.pem', TLS_KEY_FILE: '/tls/k.pem', CORS_ORIGIN: 'https://app.example' });
    expect(config.server.http).toEqual({ host: '0.0.0.0', port: 18080 });
    expect(config.server.https).toMatchObject({ port: 8443, certFile: '/tls/c.pem', http2: true });
    expect(config.clusters['catalog']?.destinations[0]?.origin).toBe('http://10.0.0.5:9000');
    expect(config.clusters['bff-partner']?.destinations[0]).toMatchObject({ protocol: 'https:', port: 443 });
    expect(config.policies.auth['edge-api']).toMatchObject({ issuer: 'http://127.0.0.1:4999', jwksUri: 'http://127.0.0.1:4999/jwks' });
    expect(config.server.tokenExchange?.tokenEndpoint).toBe('http://127.0.0.1:4999/token');
    expect(config.policies.cors['spa']?.origins).toEqual(['https://app.example']);
    expect(config.version).not.toBe(load().version);
  });

  it('only has the audit warnings it accepts on purpose (the BFFs are reached by prefix, DESIGN.md §3)', () => {
    expect(auditGatewayConfig(load()).map((w) => `${w.code} ${w.path}`)).toEqual([
      'wildcard-to-bff routes[5].match.path',
      'wildcard-to-bff routes[6].match.path',
      'wildcard-to-bff routes[7].match.path',
    ]);
  });
});
