import { validateGatewayConfig, type CompiledGatewayConfig } from '@edge/gateway-config';

/** A valid compiled configuration from a raw one, or an error listing every problem. */
export function compileTestConfig(raw: Record<string, unknown>): CompiledGatewayConfig {
  const result = validateGatewayConfig(raw);
  if (!result.ok) throw new Error(`invalid test config:\n${result.problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`);
  return result.config;
}

const cluster = (port: number) => ({ kind: 'service', destinations: { a: { url: `http://127.0.0.1:${port}` } } });

/**
 * A base configuration for policy tests: a public route and a JWT route, to which a test adds
 * the policies and route fields it exercises.
 */
export function baseConfig(options: { policies?: Record<string, Record<string, unknown>>; routes: Record<string, unknown>[] }): Record<string, unknown> {
  return {
    version: 1,
    clusters: { up: cluster(4101), other: cluster(4102) },
    policies: {
      auth: {
        public: { anonymous: true },
        users: { issuer: 'http://localhost:4000', audiences: ['edge-api'], tenantClaim: 'tenant', apiKey: { header: 'x-api-key' } },
      },
      ...options.policies,
    },
    routes: options.routes.map((r) => ({ cluster: 'up', auth: 'public', ...r })),
  };
}
