import { auditGatewayConfig } from './audit';
import { minimalConfig } from './test-support/minimal-config';
import type { CompiledGatewayConfig } from './types/compiled-config.types';
import { validateGatewayConfig } from './validate-config';

function compiled(mutate: (c: ReturnType<typeof minimalConfig>) => void): CompiledGatewayConfig {
  const config = minimalConfig();
  mutate(config);
  const result = validateGatewayConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.config;
}

describe('auditGatewayConfig', () => {
  it('finds nothing to warn about in a plain config', () => {
    expect(auditGatewayConfig(compiled(() => undefined))).toEqual([]);
  });

  it('warns about each smell of gateway:check --audit, with its path', () => {
    const config = compiled((c) => {
      c['server'] = { limits: { maxAggregateParts: 6 } };
      c.clusters['orders'] = { ...c.clusters['orders'], retries: { methods: ['GET', 'POST'] }, timeouts: { bodyIdleMs: 120_000 } };
      c.policies['transforms'] = {
        heavy: { request: { set: { a: '1', b: '2', c: '3' }, remove: ['d', 'e'] }, response: { add: { f: '1' }, strip: ['server'] }, jsonResponse: { removeFields: ['x', 'y'] } },
      };
      c.routes.push(
        { id: 'heavy', match: { path: '/heavy/**' }, cluster: 'orders', auth: 'users', transforms: 'heavy' },
        {
          id: 'dash',
          match: { path: '/dash', methods: ['GET'] },
          auth: 'users',
          aggregate: { parts: ['a', 'b', 'c', 'd'].map((key) => ({ key, cluster: 'orders', path: `/${key}`, policy: 'optional' })) },
        },
        { id: 'costly', match: { path: '/report' }, cluster: 'orders', auth: 'users', cost: 10, timeoutMs: 90_000 },
        { id: 'web', match: { path: '/web/**' }, cluster: 'web', auth: 'public', rateLimits: ['per-ip'] },
        { id: 'open', match: { path: '/open' }, cluster: 'catalog', auth: 'public' },
      );
    });
    expect(auditGatewayConfig(config).map((w) => `${w.code} ${w.path}`)).toEqual([
      'heavy-transform routes[2].transforms',
      'many-parts routes[3].aggregate.parts',
      'expensive-without-rate-limit routes[3].rateLimits',
      'aggregate-cost-below-fan-out routes[3].cost',
      'expensive-without-rate-limit routes[4].rateLimits',
      'long-timeout routes[4].timeoutMs',
      'wildcard-to-bff routes[5].match.path',
      'anonymous-without-rate-limit routes[6].rateLimits',
      'unsafe-method-retries clusters.orders.retries.methods',
      'long-timeout clusters.orders.timeouts.bodyIdleMs',
    ]);
  });

  it('does not flag unsafe methods when the cluster does not retry at all', () => {
    const config = compiled((c) => (c.clusters['orders'] = { ...c.clusters['orders'], retries: { maxAttempts: 1, methods: ['POST'] } }));
    expect(auditGatewayConfig(config)).toEqual([]);
  });
});
