/**
 * A small valid configuration for unit tests, fresh on every call so that a test can break
 * one thing and see exactly that reported. (Used by specs only.)
 */
export function minimalConfig(): Record<string, unknown> & { routes: Record<string, unknown>[]; clusters: Record<string, Record<string, unknown>>; policies: Record<string, Record<string, Record<string, unknown>>> } {
  return {
    version: 1,
    clusters: {
      catalog: { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4101' } } },
      orders: { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4102' } } },
      web: { kind: 'bff', destinations: { a: { url: 'http://127.0.0.1:3001' } } },
    },
    policies: {
      auth: {
        public: { anonymous: true },
        users: { issuer: 'http://localhost:4000', audiences: ['orders-api'], tenantClaim: 'tenant' },
      },
      rateLimits: { 'per-ip': { keyBy: ['ip'], limit: 100, windowMs: 60_000 } },
    },
    routes: [
      { id: 'catalog', match: { path: '/api/catalog/**', methods: ['GET', 'HEAD'] }, cluster: 'catalog', auth: 'public', rateLimits: ['per-ip'] },
      { id: 'orders', match: { path: '/api/orders/**' }, cluster: 'orders', auth: 'users' },
    ],
  };
}
