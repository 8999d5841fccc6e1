import { DEFAULTS, HARD_LIMITS } from '../defaults';
import { array, boolean, integer, type JsonSchema, object, oneOf, ref, string } from './json-schema-builders';

const policyRef = (what: string): JsonSchema => ref('id', { description: `Name of a ${what} policy` });

export const routeDefs: Record<string, JsonSchema> = {
  route: object(
    {
      id: ref('id'),
      match: object(
        {
          path: string({
            pattern: '^/',
            patternErrorMessage: 'a path pattern starting with "/": /exact/path or /prefix/**',
            maxLength: 1024,
          }),
          methods: ref('httpMethods', { description: 'Omitted: every method (GET does not imply HEAD)' }),
          headers: array(
            object({ name: ref('headerName'), values: array(string({ maxLength: 1024 }), { minItems: 1, uniqueItems: true }) }, { required: ['name'] }),
            { minItems: 1 },
          ),
          order: integer(-1_000_000, 1_000_000, { default: DEFAULTS.route.order, description: 'Among routes with the same path pattern, lower first' }),
        },
        { required: ['path'] },
      ),
      cluster: ref('id', { description: 'Target cluster (or weightedClusters, or aggregate)' }),
      weightedClusters: array(
        object({ cluster: ref('id'), weight: integer(0, 10_000) }, { required: ['cluster', 'weight'] }),
        { minItems: 2 },
      ),
      aggregate: ref('aggregate'),
      rewrite: object(
        {
          stripPrefix: { const: true },
          replacePrefix: ref('upstreamPath'),
          path: ref('upstreamPath', { description: 'Template; {**rest} is the part after the matched prefix' }),
        },
        { description: 'Exactly one of stripPrefix, replacePrefix, path' },
      ),
      auth: policyRef('auth'),
      scopes: ref('scopes'),
      rateLimits: ref('idList', { description: 'Names of rate limit policies; all apply' }),
      cost: integer(1, 1_000, { default: DEFAULTS.route.cost }),
      cache: policyRef('cache'),
      cors: policyRef('cors'),
      ipRules: policyRef('ipRules'),
      securityHeaders: policyRef('securityHeaders'),
      transforms: policyRef('transforms'),
      requestRules: policyRef('requestRules'),
      compression: policyRef('compression'),
      timeoutMs: integer(1, HARD_LIMITS.routeTimeoutMs, { description: 'Deadline up to the response headers, retries included (default: server.limits.defaultRouteTimeoutMs)' }),
      maxAttempts: integer(1, 10, { description: "Caps the cluster's retries.maxAttempts on this route (1: no retry); never raises it" }),
      maxBodyBytes: integer(0, 1_073_741_824),
      internal: boolean({ default: DEFAULTS.route.internal, description: 'Hidden from the aggregated OpenAPI document' }),
    },
    { required: ['id', 'match', 'auth'] },
  ),
  aggregate: object(
    {
      parts: array(ref('aggregatePart'), { minItems: 1, maxItems: HARD_LIMITS.aggregateParts }),
    },
    { required: ['parts'] },
  ),
  aggregatePart: object(
    {
      key: ref('id'),
      cluster: ref('id'),
      path: ref('upstreamPath', { description: 'Path and query; placeholders {identity.sub}, {identity.tenant}, {query.<name>}' }),
      deadlineMs: integer(1, HARD_LIMITS.routeTimeoutMs),
      maxAttempts: integer(1, 10, { description: "Caps the cluster's retries.maxAttempts for this part (1: no retry)" }),
      policy: oneOf(['required', 'optional', 'stale-allowed']),
      maxStaleMs: integer(1, 86_400_000, { default: DEFAULTS.part.maxStaleMs }),
      token: oneOf(['forward', 'exchange', 'none'], { default: DEFAULTS.part.token }),
      audience: string({ minLength: 1, maxLength: 256 }),
      scopes: ref('scopes'),
    },
    { required: ['key', 'cluster', 'path', 'policy'] },
  ),
};
