/**
 * Every default of the file format, in one place: the JSON Schema shows them to editors and
 * the compiler applies them, so the two cannot drift apart.
 */
export const DEFAULTS = {
  server: {
    http: { host: '127.0.0.1', port: 8080 },
    https: { host: '127.0.0.1', port: 8443, http2: true },
    limits: {
      maxHeaderBytes: 16_384,
      maxBodyBytes: 1_048_576,
      defaultRouteTimeoutMs: 10_000,
      maxAggregateParts: 5,
    },
    stripIdentityHeaders: ['x-user-*', 'x-tenant-*', 'x-client-*', 'x-authenticated-*'],
    pathParameters: 'reject' as 'reject' | 'forward',
    admin: { basePath: '/__gateway' },
  },
  cluster: {
    loadBalancing: 'power-of-two-choices',
    destinationWeight: 1,
    pool: { connections: 128, keepAliveTimeoutMs: 4_000, pipelining: 1 },
    // No per-try timeout by default (Envoy's rule): each attempt may use what is left of the
    // route deadline, so retries happen on fast failures and never outlive the deadline.
    timeouts: { connectMs: 1_000, bodyIdleMs: 10_000 },
    retries: {
      // Services: one retry on failures that mean "the request was not processed".
      serviceMaxAttempts: 2,
      // BFFs retry their own dependencies; retrying here too would multiply attempts.
      bffMaxAttempts: 1,
      on: ['connect-failure', 503],
      methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'],
      backoff: { baseMs: 50, maxMs: 500, jitter: 'full' },
      budget: { ratio: 0.2, minPerSecond: 5 },
    },
    breaker: { enabled: true, failureRatePercent: 50, minimumRequests: 20, windowMs: 10_000, openMs: 5_000, halfOpenTrials: 1 },
    concurrency: { max: 512, queue: 64, queueTimeoutMs: 100 },
    activeHealth: { intervalMs: 5_000, timeoutMs: 1_000 },
    passiveHealth: { enabled: true, consecutiveFailures: 5, ejectionMs: 30_000, maxEjectedPercent: 50 },
  },
  route: { cost: 1, order: 0, internal: false },
  part: { maxStaleMs: 300_000, token: 'forward' },
  auth: {
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    clockToleranceSec: 5,
    clientIdClaim: 'client_id',
    scopeClaim: 'scope',
    forwardToken: true,
    apiKeyHeader: 'x-api-key',
    jwks: { timeoutMs: 2_000, cooldownMs: 30_000, refreshIntervalMs: 600_000 },
  },
  rateLimit: { algorithm: 'sliding-window', store: 'auto', onStoreFailure: 'open', whenKeyMissing: 'limit-by-ip' },
  cache: {
    defaultTtlMs: 0,
    maxTtlMs: 86_400_000,
    staleWhileRevalidateMs: 0,
    staleIfErrorMs: 0,
    statuses: [200, 203, 204, 301, 404, 410],
    maxEntryBytes: 1_048_576,
    maxTotalBytes: 67_108_864,
    store: 'auto',
  },
  cors: { methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], credentials: false, maxAgeSec: 600 },
  securityHeaders: {
    hsts: { enabled: true, maxAgeSec: 31_536_000, includeSubDomains: false, preload: false },
    noSniff: true,
    frameAncestors: ["'none'"],
    referrerPolicy: 'no-referrer',
  },
  compression: { encodings: ['br', 'gzip'], minBytes: 1_024 },
  transforms: { maxBufferBytes: 1_048_576 },
  openapi: { path: '/openapi.json', docsPath: '/docs', title: 'Edge API', version: '1.0.0', fetchTimeoutMs: 3_000, required: false },
} as const;

/** Content types that are already compressed: never compressed again, whatever the policy says. */
export const ALWAYS_UNCOMPRESSED_TYPES = [
  'image/*',
  'video/*',
  'audio/*',
  'font/woff',
  'font/woff2',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-bzip2',
  'application/x-7z-compressed',
  'application/zstd',
  'application/octet-stream',
  'application/pdf',
  'text/event-stream',
] as const;

/** Paths the gateway serves itself, before any route. */
export const BUILT_IN_PATHS = ['/healthz', '/readyz', '/metrics'] as const;

/** Hard limits the schema enforces (the server limit may be lower, never higher). */
export const HARD_LIMITS = {
  defaultRouteTimeoutMs: 15_000,
  routeTimeoutMs: 300_000,
  aggregateParts: 10,
  clockToleranceSec: 60,
} as const;
