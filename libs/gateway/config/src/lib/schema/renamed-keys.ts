/**
 * Likely mistakes (names from other gateways, units left out) and what replaced them, by the
 * place in the schema where the unknown key was found (`*` = anywhere). Unknown keys are
 * always errors; these only make the message useful.
 */
const RENAMED: Record<string, Record<string, string>> = {
  '*': {
    timeout: 'timeoutMs',
    interval: 'intervalMs',
    ttl: 'defaultTtlMs',
    maxAge: 'maxAgeSec',
  },
  '': { route: 'routes', cluster: 'clusters', policy: 'policies', listen: 'server.http' },
  server: { port: 'http.port', host: 'http.host', tls: 'https', trustProxy: 'trustedProxies', bodyLimit: 'limits.maxBodyBytes' },
  'server.limits': { bodyLimit: 'maxBodyBytes', maxBodySize: 'maxBodyBytes', routeTimeoutMs: 'defaultRouteTimeoutMs', timeoutMs: 'defaultRouteTimeoutMs' },
  cluster: {
    url: 'destinations: { <id>: { url } }',
    urls: 'destinations',
    loadBalancingPolicy: 'loadBalancing',
    timeout: 'timeouts.perTryMs',
    retry: 'retries',
    circuitBreaker: 'breaker',
    bulkhead: 'concurrency',
    healthCheck: 'healthChecks',
  },
  destination: { address: 'url' },
  'cluster.pool': { keepAliveTimeout: 'keepAliveTimeoutMs', maxConnections: 'connections' },
  'cluster.timeouts': {
    connect: 'connectMs',
    connectTimeout: 'connectMs',
    headersTimeout: 'perTryMs',
    perTry: 'perTryMs',
    perTryTimeout: 'perTryMs',
    requestTimeout: 'perTryMs (one attempt) and the route timeoutMs (all attempts)',
    bodyTimeout: 'bodyIdleMs',
  },
  retries: { attempts: 'maxAttempts (total attempts, including the first)', retries: 'maxAttempts', numRetries: 'maxAttempts', retryOn: 'on' },
  'retries.backoff': { base: 'baseMs', max: 'maxMs' },
  'cluster.breaker': { errorThresholdPercentage: 'failureRatePercent', volumeThreshold: 'minimumRequests', resetTimeout: 'openMs' },
  'cluster.concurrency': { queueTimeout: 'queueTimeoutMs', maxConcurrency: 'max' },
  route: {
    routeId: 'id',
    path: 'match.path',
    methods: 'match.methods',
    headers: 'match.headers',
    order: 'match.order',
    clusterId: 'cluster',
    authorizationPolicy: 'auth',
    authPolicy: 'auth',
    rateLimit: 'rateLimits',
    rateLimiterPolicy: 'rateLimits',
    corsPolicy: 'cors',
    outputCachePolicy: 'cache',
    timeout: 'timeoutMs',
    bodyLimit: 'maxBodyBytes',
    maxBodySize: 'maxBodyBytes',
    clusters: 'weightedClusters',
  },
  aggregatePart: { timeoutMs: 'deadlineMs', deadline: 'deadlineMs', name: 'key' },
  authPolicy: {
    audience: 'audiences',
    jwksUrl: 'jwksUri',
    jwks_uri: 'jwksUri',
    algorithm: 'algorithms',
    clockTolerance: 'clockToleranceSec',
    issuerUrl: 'issuer',
    scopes: 'the route’s scopes',
  },
  'authPolicy.jwks': { fetchTimeoutMs: 'timeoutMs', cacheMaxAgeMs: 'refreshIntervalMs', cacheMaxAge: 'refreshIntervalMs', cooldown: 'cooldownMs' },
  rateLimitPolicy: { key: 'keyBy', window: 'windowMs', ttl: 'windowMs', max: 'limit', quota: 'quotas' },
  cachePolicy: { ttlMs: 'defaultTtlMs', staleWhileRevalidate: 'staleWhileRevalidateMs', staleIfError: 'staleIfErrorMs' },
  corsPolicy: { origin: 'origins', allowedOrigins: 'origins', allowCredentials: 'credentials', allowedHeaders: 'allowHeaders', exposedHeaders: 'exposeHeaders' },
  ipRulesPolicy: { allowList: 'allow', denyList: 'deny', whitelist: 'allow', blacklist: 'deny' },
};

export function renameHint(context: string, key: string): string | undefined {
  return RENAMED[context]?.[key] ?? RENAMED['*']?.[key];
}
