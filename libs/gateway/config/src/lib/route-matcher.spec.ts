import { minimalConfig } from './test-support/minimal-config';
import type { CompiledGatewayConfig } from './types/compiled-config.types';
import { validateGatewayConfig } from './validate-config';

function compile(routes: Record<string, unknown>[]): CompiledGatewayConfig {
  const config = minimalConfig();
  config.routes = routes.map((r, i) => ({ id: `r${i}`, cluster: 'orders', auth: 'public', ...r }));
  const result = validateGatewayConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.config;
}
const idOf = (config: CompiledGatewayConfig, method: string, path: string, headers: Record<string, string | string[]> = {}) =>
  config.matcher.match(method, path, headers)?.route.id ?? null;

describe('route matcher', () => {
  const config = compile([
    { id: 'everything', match: { path: '/**' } },
    { id: 'api', match: { path: '/api/**' } },
    { id: 'catalog', match: { path: '/api/catalog/**' } },
    { id: 'dashboard', match: { path: '/api/dashboard', methods: ['GET'] } },
    { id: 'root', match: { path: '/' } },
  ]);

  it('prefers exact over prefix, and a longer prefix over a shorter one, whatever the file order', () => {
    expect(idOf(config, 'GET', '/api/dashboard')).toBe('dashboard');
    expect(idOf(config, 'GET', '/api/dashboard/x')).toBe('api');
    expect(idOf(config, 'GET', '/api/catalog/items/1')).toBe('catalog');
    expect(idOf(config, 'GET', '/api/catalog')).toBe('catalog');
    expect(idOf(config, 'GET', '/api')).toBe('api');
    expect(idOf(config, 'GET', '/other')).toBe('everything');
    expect(idOf(config, 'GET', '/')).toBe('root');
    expect(config.routes.map((r) => r.id)).toEqual(['dashboard', 'root', 'catalog', 'api', 'everything']);
  });

  it('matches prefixes on segment boundaries, case-sensitively', () => {
    expect(idOf(config, 'GET', '/api/catalogue')).toBe('api');
    expect(idOf(config, 'GET', '/API/catalog/items')).toBe('everything');
    expect(idOf(config, 'GET', '/api/Dashboard')).toBe('api');
  });

  it('lets the trailing-slash variant reach the same exact route (never another route\'s policies)', () => {
    expect(idOf(config, 'GET', '/api/dashboard/')).toBe('dashboard');
    expect(idOf(config, 'GET', '/api/catalog/')).toBe('catalog');
  });

  it('falls through to the next candidate when methods do not match', () => {
    expect(idOf(config, 'POST', '/api/dashboard')).toBe('api');
    expect(idOf(config, 'HEAD', '/api/dashboard')).toBe('api'); // GET does not imply HEAD
  });

  it('returns null when nothing matches', () => {
    expect(compile([{ match: { path: '/a/**' } }]).matcher.match('GET', '/b', {})).toBeNull();
  });

  it('orders routes on the same pattern by match.order, then header conditions, then file order', () => {
    const c = compile([
      { id: 'plain', match: { path: '/v/**' } },
      { id: 'v2', match: { path: '/v/**', headers: [{ name: 'X-Api-Version', values: ['2', '2.1'] }] } },
      { id: 'beta', match: { path: '/v/**', headers: [{ name: 'x-beta' }] } },
      { id: 'urgent', match: { path: '/v/**', order: -1, methods: ['DELETE'] } },
    ]);
    expect(idOf(c, 'GET', '/v/x')).toBe('plain');
    expect(idOf(c, 'GET', '/v/x', { 'x-api-version': '2.1' })).toBe('v2');
    expect(idOf(c, 'GET', '/v/x', { 'x-api-version': '3' })).toBe('plain');
    expect(idOf(c, 'GET', '/v/x', { 'x-beta': '' })).toBe('beta');
    expect(idOf(c, 'GET', '/v/x', { 'x-api-version': ['1', '2'] })).toBe('v2');
    expect(idOf(c, 'DELETE', '/v/x', { 'x-api-version': '2' })).toBe('urgent');
    expect(c.routes.map((r) => r.id)).toEqual(['urgent', 'v2', 'beta', 'plain']);
  });

  it('gives the remainder after the prefix and the rewritten upstream path', () => {
    const c = compile([
      { id: 'strip', match: { path: '/api/catalog/**' }, rewrite: { stripPrefix: true } },
      { id: 'replace', match: { path: '/api/users/**' }, rewrite: { replacePrefix: '/customers' } },
      { id: 'template', match: { path: '/legacy/**' }, rewrite: { path: '/v2/{**rest}/index' } },
      { id: 'fixed', match: { path: '/status' }, rewrite: { path: '/internal/health' } },
      { id: 'same', match: { path: '/web/**' } },
    ]);
    const at = (path: string) => {
      const m = c.matcher.match('GET', path, {});
      return [m?.route.id, m?.remainder, m?.upstreamPath];
    };
    expect(at('/api/catalog/items/7')).toEqual(['strip', '/items/7', '/items/7']);
    expect(at('/api/catalog')).toEqual(['strip', '', '/']);
    expect(at('/api/users/42')).toEqual(['replace', '/42', '/customers/42']);
    expect(at('/api/users')).toEqual(['replace', '', '/customers']);
    expect(at('/legacy/a/b')).toEqual(['template', '/a/b', '/v2/a/b/index']);
    expect(at('/status')).toEqual(['fixed', '', '/internal/health']);
    expect(at('/web/login')).toEqual(['same', '/login', '/web/login']);
  });

  it('maps upstream paths back to external ones where the rewrite is invertible (portal)', () => {
    const c = compile([
      { id: 'strip', match: { path: '/api/catalog/**' }, rewrite: { stripPrefix: true } },
      { id: 'replace', match: { path: '/api/users/**' }, rewrite: { replacePrefix: '/customers' } },
      { id: 'template', match: { path: '/legacy/**' }, rewrite: { path: '/v2/{**rest}' } },
    ]);
    const route = (id: string) => c.routes.find((r) => r.id === id);
    expect(route('strip')?.toExternalPath?.('/items/{id}')).toBe('/api/catalog/items/{id}');
    expect(route('replace')?.toExternalPath?.('/customers/{id}')).toBe('/api/users/{id}');
    expect(route('replace')?.toExternalPath?.('/orders/1')).toBeUndefined();
    expect(route('template')?.toExternalPath).toBeNull();
  });
});
