import { compileGatewayConfig } from './compile-config';
import { minimalConfig } from './test-support/minimal-config';
import type { CompiledGatewayConfig, CompiledRoute } from './types/compiled-config.types';
import type { GatewayConfigFile } from './types/gateway-config.types';
import { validateGatewayConfig } from './validate-config';

function compiled(mutate: (c: ReturnType<typeof minimalConfig>) => void = () => undefined): CompiledGatewayConfig {
  const config = minimalConfig();
  mutate(config);
  const result = validateGatewayConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.config;
}
const routeById = (config: CompiledGatewayConfig, id: string): CompiledRoute => {
  const found = config.routes.find((r) => r.id === id);
  if (!found) throw new Error(`no route ${id}`);
  return found;
};

describe('compileGatewayConfig', () => {
  it('deeply freezes the runtime model', () => {
    const config = compiled();
    const route = routeById(config, 'catalog');
    for (const part of [config, config.routes, route, route.match, route.match.methods, route.rateLimits, config.clusters, config.clusters['orders'], config.clusters['orders']?.destinations, config.policies.auth, config.server.limits, config.source, config.source.routes[0], config.matcher]) {
      expect(Object.isFrozen(part)).toBe(true);
    }
    expect(() => (config.routes as CompiledRoute[]).push(route)).toThrow(/not extensible|read only|read-only/);
    expect(() => Object.assign(config.server.limits, { maxBodyBytes: 1 })).toThrow(/not extensible|read only|read-only/);
    expect(() => Object.assign(route, { timeoutMs: 1 })).toThrow(/not extensible|read only|read-only/);
  });

  it('does not share objects with its input (a later change to the input changes nothing)', () => {
    const input = minimalConfig();
    const config = compileGatewayConfig(input as unknown as GatewayConfigFile);
    const before = config.version;
    (input.routes[0] as Record<string, unknown>)['id'] = 'changed';
    expect(config.source.routes.map((r) => r.id)).toContain('catalog');
    expect(compileGatewayConfig(config.source).version).toBe(before);
  });

  describe('version hash', () => {
    it('is the same for the same content, whatever the key order', () => {
      const a = compiled();
      const b = compiled();
      const reordered = compiled((c) => {
        const route = c.routes[0] as Record<string, unknown>;
        c.routes[0] = Object.fromEntries(Object.entries(route).reverse());
        const clusters = Object.entries(c.clusters).reverse();
        c.clusters = Object.fromEntries(clusters);
      });
      expect(a.version).toMatch(/^[0-9a-f]{64}$/);
      expect(b.version).toBe(a.version);
      expect(reordered.version).toBe(a.version);
    });

    it.each([
      ['a destination URL', (c: ReturnType<typeof minimalConfig>) => (c.clusters['orders'] = { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4999' } } })],
      ['a rate limit', (c: ReturnType<typeof minimalConfig>) => ((c.policies['rateLimits'] as Record<string, Record<string, unknown>>)['per-ip']!['limit'] = 101)],
      ['the route order in the file', (c: ReturnType<typeof minimalConfig>) => c.routes.reverse()],
      ['an added default value', (c: ReturnType<typeof minimalConfig>) => ((c.routes[0] as Record<string, unknown>)['cost'] = 1)],
    ])('changes with %s', (_what, mutate) => {
      expect(compiled(mutate).version).not.toBe(compiled().version);
    });
  });

  it('resolves names to the policy and cluster objects, and applies defaults', () => {
    const config = compiled((c) => {
      c['server'] = { limits: { defaultRouteTimeoutMs: 7000 } };
      c.routes.push({ id: 'web', match: { path: '/web/**' }, cluster: 'web', auth: 'public', rateLimits: ['per-ip'], timeoutMs: 3000, maxAttempts: 1 });
    });
    const orders = routeById(config, 'orders');
    expect(orders.auth).toBe(config.policies.auth['users']);
    expect(orders.target).toEqual({ kind: 'cluster', cluster: config.clusters['orders'] });
    expect(routeById(config, 'catalog').rateLimits[0]).toBe(config.policies.rateLimits['per-ip']);
    expect(orders.timeoutMs).toBe(7000);
    expect(routeById(config, 'web').timeoutMs).toBe(3000);
    expect(orders.maxBodyBytes).toBe(1_048_576);
    expect(orders.cost).toBe(1);
    expect(orders.cache).toBeNull();
    expect(config.policies.auth['users']).toMatchObject({ kind: 'jwt', requiredClaims: ['exp'], algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'], clockToleranceSec: 5, jwksUri: null, tenantClaim: 'tenant' });

    const cluster = config.clusters['orders'];
    expect(cluster).toMatchObject({
      destinations: [{ id: 'a', origin: 'http://127.0.0.1:4102', protocol: 'http:', hostname: '127.0.0.1', port: 4102, weight: 1 }],
      loadBalancing: 'power-of-two-choices',
      retries: { maxAttempts: 2, onConnectFailure: true, onReset: false, onStatuses: [503], onPerTryTimeout: false, methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] },
      breaker: { failureRatePercent: 50, minimumRequests: 20 },
      healthChecks: { active: null, passive: { consecutiveFailures: 5, ejectionMs: 30_000, maxEjectedPercent: 50 } },
    });
    expect(cluster?.retries.backoffCeilingMs(1)).toBe(50);
    expect(cluster?.retries.backoffCeilingMs(5)).toBe(500);
    expect(config.clusters['web']?.retries.maxAttempts).toBe(1); // bff: no retries by default
    expect(routeById(config, 'web').attemptsFor(config.clusters['orders']!)).toBe(1);
    expect(orders.attemptsFor(config.clusters['orders']!)).toBe(2);
  });

  it('picks weighted clusters by weight and renders aggregate part paths', () => {
    const config = compiled((c) => {
      c.clusters['orders-v2'] = { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4112' } } };
      c.routes[1] = { id: 'orders', match: { path: '/api/orders/**' }, weightedClusters: [{ cluster: 'orders', weight: 90 }, { cluster: 'orders-v2', weight: 10 }], auth: 'users' };
      c.routes.push({
        id: 'dash',
        match: { path: '/dash', methods: ['GET'] },
        auth: 'users',
        timeoutMs: 9000,
        aggregate: { parts: [{ key: 'me', cluster: 'orders', path: '/customers/{identity.sub}?t={identity.tenant}&limit={query.limit}', policy: 'required', deadlineMs: 4000, maxAttempts: 1 }] },
      });
    });
    const target = routeById(config, 'orders').target;
    if (target.kind !== 'weighted') throw new Error('expected weighted');
    expect(target.totalWeight).toBe(100);
    expect(target.pick(0).id).toBe('orders');
    expect(target.pick(0.8999).id).toBe('orders');
    expect(target.pick(0.9).id).toBe('orders-v2');
    expect(target.pick(0.99999).id).toBe('orders-v2');

    const dash = routeById(config, 'dash').target;
    if (dash.kind !== 'aggregate') throw new Error('expected aggregate');
    const part = dash.parts[0]!;
    expect(part).toMatchObject({ key: 'me', deadlineMs: 4000, maxAttempts: 1, policy: 'required', token: { mode: 'forward' } });
    expect(part.renderPath({ identity: { sub: 'alice/../admin', tenant: 'acme' }, query: (n) => (n === 'limit' ? '5&x=1' : null) })).toBe(
      '/customers/alice%2F..%2Fadmin?t=acme&limit=5%26x%3D1',
    );
    expect(part.renderPath({ identity: null, query: () => undefined })).toBe('/customers/?t=&limit=');
  });

  it('precompiles policies into functions and header lists', () => {
    const config = compiled((c) => {
      c['server'] = { trustedProxies: ['10.0.0.0/8', '::1'], stripIdentityHeaders: ['x-user-*'] };
      c.policies['auth'] = { ...c.policies['auth'], ids: { issuer: 'http://i', audiences: ['a'], identityHeaders: { user: 'X-Caller', tenant: 'x-org' } } };
      c.policies['ipRules'] = { office: { allow: ['192.168.0.0/16', '2001:db8::/32'], deny: ['192.168.13.0/24'] } };
      c.policies['cors'] = { spa: { origins: ['http://localhost:3000'] }, any: { origins: ['*'] } };
      c.policies['compression'] = { c: { excludeTypes: ['application/x-ndjson'] } };
      c.policies['requestRules'] = { r: { deny: [{ methods: ['TRACE'] }, { path: '^/\\.git', reason: 'repo' }, { query: '<script', ignoreCase: true }, { header: { name: 'X-Debug' } }] } };
      c.policies['securityHeaders'] = { s: { hsts: { maxAgeSec: 600, includeSubDomains: true } } };
      c.policies['transforms'] = { t: { request: { set: { 'X-Env': 'dev' } }, response: { strip: ['Server', 'x-internal-*'], rename: { 'X-Trace': 'X-Trace-Id' } }, jsonResponse: { removeFields: ['secret'] } } };
    });
    const ip = config.policies.ipRules['office']!;
    expect([ip.allows('192.168.1.1'), ip.allows('192.168.13.7'), ip.allows('10.0.0.1'), ip.allows('2001:db8::5'), ip.allows('::ffff:192.168.1.1'), ip.allows('2001:db9::1')]).toEqual([true, false, false, true, true, false]);
    expect([config.server.trustedProxies.contains('10.2.3.4'), config.server.trustedProxies.contains('::1'), config.server.trustedProxies.contains('11.0.0.1')]).toEqual([true, true, false]);
    expect(['x-user-id', 'x-caller', 'x-org', 'x-tenant-id'].map((h) => config.server.stripRequestHeaders.matches(h))).toEqual([true, true, true, false]);
    expect(config.policies.cors['spa']?.allowsOrigin('http://localhost:3000')).toBe(true);
    expect(config.policies.cors['spa']?.allowsOrigin('http://localhost:3001')).toBe(false);
    expect(config.policies.cors['any']?.allowsOrigin('https://x.example')).toBe(true);
    const compression = config.policies.compression['c']!;
    expect(['application/json; charset=utf-8', 'image/png', 'application/x-ndjson', 'text/html', undefined].map((t) => compression.compressible(t))).toEqual([true, false, false, true, false]);
    expect(compression.encodings).toEqual(['br', 'gzip']);
    const rules = config.policies.requestRules['r']!;
    const facts = (over: Partial<{ method: string; path: string; rawQuery: string; headers: Record<string, string> }>) => ({ method: 'GET', path: '/', rawQuery: '', headers: {}, ...over });
    expect(rules.firstDenied(facts({}))).toBeNull();
    expect(rules.firstDenied(facts({ method: 'TRACE' }))?.index).toBe(0);
    expect(rules.firstDenied(facts({ path: '/.git/config' }))?.reason).toBe('repo');
    expect(rules.firstDenied(facts({ rawQuery: 'q=%3CSCRIPT%3E' }))?.index).toBe(2);
    expect(rules.firstDenied(facts({ headers: { 'x-debug': '1' } }))?.index).toBe(3);
    expect(config.policies.securityHeaders['s']).toMatchObject({
      headers: [['x-content-type-options', 'nosniff'], ['content-security-policy', "frame-ancestors 'none'"], ['x-frame-options', 'DENY'], ['referrer-policy', 'no-referrer']],
      tlsHeaders: [['strict-transport-security', 'max-age=600; includeSubDomains']],
    });
    const t = config.policies.transforms['t']!;
    expect(t.request.set).toEqual([['x-env', 'dev']]);
    expect(t.response.rename).toEqual([['x-trace', 'x-trace-id']]);
    expect([t.response.strip.matches('server'), t.response.strip.matches('x-internal-cost'), t.response.strip.matches('x-request-id')]).toEqual([true, true, false]);
    expect(t.operationCount).toBe(5);
  });

  it('turns on https only with both files, and lists the paths the gateway serves itself', () => {
    expect(compiled((c) => (c['server'] = { https: { cert: '', key: '' } })).server.https).toBeNull();
    expect(compiled((c) => (c['server'] = { https: { cert: '/c.pem', key: '/k.pem' } })).server.https).toEqual({ host: '127.0.0.1', port: 8443, certFile: '/c.pem', keyFile: '/k.pem', http2: true });
    expect(compiled((c) => (c['openapi'] = { docsPath: '/api-docs', sources: [{ cluster: 'orders', path: '/openapi.json' }] })).reservedPaths).toEqual(['/healthz', '/readyz', '/metrics', '/openapi.json', '/api-docs']);
  });
});

describe('validateGatewayConfig', () => {
  it('reports schema and semantic problems together, without compiling', () => {
    const config = minimalConfig();
    config.routes.push({ id: 'everything', match: { path: '/**' }, cluster: 'nowhere', timeout: 1 });
    const result = validateGatewayConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { path: 'routes[2].auth', message: expect.stringContaining('every route makes an explicit auth decision') },
      { path: 'routes[2].timeout', message: 'unknown key (renamed: use timeoutMs)' },
      { path: 'routes[2].cluster', message: 'unknown cluster "nowhere" (defined: catalog, orders, web)' },
    ]);
  });
});
