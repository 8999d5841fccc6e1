import { DEFAULTS } from '../defaults';
import { array, boolean, idMap, integer, type JsonSchema, number, object, oneOf, ref } from './json-schema-builders';

const D = DEFAULTS.cluster;
const HOUR = 3_600_000;

export const clusterDefs: Record<string, JsonSchema> = {
  cluster: object(
    {
      kind: oneOf(['service', 'bff'], { description: 'bff clusters get no retries by default (the BFF retries its own dependencies)' }),
      destinations: idMap(ref('destination'), { minProperties: 1, description: 'id → destination' }),
      loadBalancing: oneOf(['round-robin', 'least-requests', 'power-of-two-choices'], { default: D.loadBalancing }),
      pool: object({
        connections: integer(1, 10_000, { default: D.pool.connections, description: 'Max connections per destination' }),
        keepAliveTimeoutMs: integer(100, 600_000, { default: D.pool.keepAliveTimeoutMs }),
        pipelining: integer(1, 100, { default: D.pool.pipelining }),
      }),
      timeouts: object({
        connectMs: integer(1, 60_000, { default: D.timeouts.connectMs }),
        perTryMs: integer(1, 300_000, { description: 'One attempt, until the response headers. Default: none (an attempt may use the rest of the route deadline)' }),
        bodyIdleMs: integer(1, 600_000, { default: D.timeouts.bodyIdleMs, description: 'Longest silence between two body chunks' }),
      }),
      retries: ref('retries'),
      breaker: object({
        enabled: boolean({ default: D.breaker.enabled }),
        failureRatePercent: integer(1, 100, { default: D.breaker.failureRatePercent }),
        minimumRequests: integer(1, 100_000, { default: D.breaker.minimumRequests }),
        windowMs: integer(1_000, HOUR, { default: D.breaker.windowMs }),
        openMs: integer(100, HOUR, { default: D.breaker.openMs }),
        halfOpenTrials: integer(1, 100, { default: D.breaker.halfOpenTrials }),
      }),
      concurrency: object({
        max: integer(1, 100_000, { default: D.concurrency.max, description: 'In-flight requests (bulkhead)' }),
        queue: integer(0, 100_000, { default: D.concurrency.queue }),
        queueTimeoutMs: integer(0, 60_000, { default: D.concurrency.queueTimeoutMs }),
      }),
      healthChecks: object({
        active: object(
          {
            path: ref('upstreamPath'),
            intervalMs: integer(500, HOUR, { default: D.activeHealth.intervalMs }),
            timeoutMs: integer(10, 60_000, { default: D.activeHealth.timeoutMs }),
          },
          { required: ['path'] },
        ),
        passive: object({
          enabled: boolean({ default: D.passiveHealth.enabled }),
          consecutiveFailures: integer(1, 1_000, { default: D.passiveHealth.consecutiveFailures }),
          ejectionMs: integer(100, HOUR, { default: D.passiveHealth.ejectionMs }),
          maxEjectedPercent: { type: 'integer', minimum: 0, exclusiveMaximum: 100, default: D.passiveHealth.maxEjectedPercent, description: 'Never all of them' },
        }),
      }),
    },
    { required: ['kind', 'destinations'] },
  ),
  destination: object(
    {
      url: ref('url', { description: 'An origin: http(s)://host[:port], no path' }),
      weight: integer(0, 1_000, { default: D.destinationWeight }),
    },
    { required: ['url'] },
  ),
  retries: object({
    maxAttempts: integer(1, 10, { description: 'Total attempts including the first (services default 2, bff clusters 1)' }),
    on: array(oneOf(['connect-failure', 'reset', 502, 503, 504]), { minItems: 1, uniqueItems: true, default: D.retries.on }),
    methods: ref('httpMethods', { default: D.retries.methods, description: 'Retried without Idempotency-Key' }),
    backoff: object({
      baseMs: integer(0, 60_000, { default: D.retries.backoff.baseMs }),
      maxMs: integer(0, 60_000, { default: D.retries.backoff.maxMs }),
      jitter: oneOf(['full', 'none'], { default: D.retries.backoff.jitter }),
    }),
    budget: object({
      ratio: number(0, 1, { default: D.retries.budget.ratio, description: 'Share of recent requests that may be retries' }),
      minPerSecond: integer(0, 10_000, { default: D.retries.budget.minPerSecond }),
    }),
    allowForBff: boolean({ description: 'Required to retry a kind: bff cluster' }),
  }),
};
