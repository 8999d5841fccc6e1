import { DEFAULTS, HARD_LIMITS } from '../defaults';
import { array, boolean, headerMap, idMap, integer, type JsonSchema, object, oneOf, ref, string } from './json-schema-builders';

const A = DEFAULTS.auth;
const C = DEFAULTS.cache;
const DAY = 86_400_000;
const claim = string({ minLength: 1, maxLength: 128 });
const regex = string({ minLength: 1, maxLength: 512, description: 'A JavaScript regular expression (u flag)' });

const headerOps = {
  add: headerMap(string({ maxLength: 4096 }), { description: 'Appends a value' }),
  set: headerMap(string({ maxLength: 4096 }), { description: 'Replaces the value' }),
  rename: headerMap(ref('headerName'), { description: 'from → to' }),
  remove: array(ref('headerName'), { uniqueItems: true }),
};

export const policyDefs: Record<string, JsonSchema> = {
  policies: object({
    auth: idMap(ref('authPolicy')),
    rateLimits: idMap(ref('rateLimitPolicy')),
    cache: idMap(ref('cachePolicy')),
    cors: idMap(ref('corsPolicy')),
    ipRules: idMap(ref('ipRulesPolicy')),
    securityHeaders: idMap(ref('securityHeadersPolicy')),
    transforms: idMap(ref('transformsPolicy')),
    requestRules: idMap(ref('requestRulesPolicy')),
    compression: idMap(ref('compressionPolicy')),
  }),
  authPolicy: {
    ...object({
      anonymous: boolean({ description: 'true: an explicit public decision (no other settings)' }),
      issuer: ref('url'),
      audiences: array(string({ minLength: 1, maxLength: 256 }), { minItems: 1, uniqueItems: true }),
      jwksUri: ref('url', { description: 'Omitted: discovered from the issuer metadata at start-up' }),
      algorithms: array(string({ minLength: 1, maxLength: 16 }), {
        minItems: 1,
        uniqueItems: true,
        default: A.algorithms,
        description: 'Asymmetric only: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA, Ed25519',
      }),
      clockToleranceSec: integer(0, HARD_LIMITS.clockToleranceSec, { default: A.clockToleranceSec }),
      requiredClaims: array(claim, { uniqueItems: true, description: 'exp is always required' }),
      tenantClaim: claim,
      clientIdClaim: { ...claim, default: A.clientIdClaim },
      scopeClaim: { ...claim, default: A.scopeClaim },
      forwardToken: boolean({ default: A.forwardToken }),
      identityHeaders: object({ user: ref('headerName'), tenant: ref('headerName') }),
      apiKey: object({ header: ref('headerName', { default: A.apiKeyHeader }) }, {
        description: 'Requests without a bearer token but with this header pass through for the upstream to validate',
      }),
      jwks: object({
        timeoutMs: integer(100, 30_000, { default: A.jwks.timeoutMs, description: 'Bound on one JWKS/discovery fetch (unknown kid: fail closed)' }),
        cooldownMs: integer(0, 3_600_000, { default: A.jwks.cooldownMs, description: 'At most one unknown-kid refetch per interval' }),
        refreshIntervalMs: integer(0, DAY, { default: A.jwks.refreshIntervalMs, description: 'Background key refresh; 0 turns it off' }),
      }),
    }),
    if: { properties: { anonymous: { const: true } }, required: ['anonymous'] },
    else: { required: ['issuer', 'audiences'] },
  },
  rateLimitPolicy: {
    ...object(
      {
        keyBy: array(oneOf(['ip', 'user', 'tenant', 'client', 'apiKey']), { minItems: 1, uniqueItems: true }),
        limit: integer(1, 100_000_000),
        windowMs: integer(100, DAY),
        algorithm: oneOf(['sliding-window', 'token-bucket'], { default: DEFAULTS.rateLimit.algorithm }),
        quotas: array(object({ limit: integer(1, 1_000_000_000), period: oneOf(['day', 'month']) }, { required: ['limit', 'period'] }), {
          minItems: 1,
        }),
        store: oneOf(['auto', 'memory', 'redis'], { default: DEFAULTS.rateLimit.store }),
        onStoreFailure: oneOf(['open', 'closed'], { default: DEFAULTS.rateLimit.onStoreFailure }),
        whenKeyMissing: oneOf(['limit-by-ip', 'skip'], { default: DEFAULTS.rateLimit.whenKeyMissing }),
      },
      { required: ['keyBy'] },
    ),
    dependentRequired: { limit: ['windowMs'], windowMs: ['limit'] },
  },
  cachePolicy: object(
    {
      scope: oneOf(['shared', 'private-per-user', 'shared-per-tenant']),
      defaultTtlMs: integer(0, DAY * 365, { default: C.defaultTtlMs }),
      maxTtlMs: integer(1, DAY * 365, { default: C.maxTtlMs }),
      staleWhileRevalidateMs: integer(0, DAY * 7, { default: C.staleWhileRevalidateMs }),
      staleIfErrorMs: integer(0, DAY * 7, { default: C.staleIfErrorMs }),
      statuses: array(oneOf([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501]), { minItems: 1, uniqueItems: true, default: C.statuses }),
      maxEntryBytes: integer(1, 104_857_600, { default: C.maxEntryBytes }),
      maxTotalBytes: integer(1, 17_179_869_184, { default: C.maxTotalBytes }),
      store: oneOf(['auto', 'memory', 'redis'], { default: C.store }),
      tags: array(string({ pattern: '^[a-z0-9][a-z0-9:._-]*$', patternErrorMessage: 'a tag: lower-case letters, digits, ":", ".", "_", "-"', maxLength: 128 }), {
        uniqueItems: true,
      }),
      tagsHeader: ref('headerName'),
    },
    { required: ['scope'] },
  ),
  corsPolicy: object(
    {
      origins: array(string({ minLength: 1, maxLength: 512 }), { minItems: 1, uniqueItems: true, description: 'Exact origins or "*"' }),
      methods: ref('httpMethods', { default: DEFAULTS.cors.methods }),
      allowHeaders: array(ref('headerName'), { uniqueItems: true }),
      exposeHeaders: array(ref('headerName'), { uniqueItems: true }),
      credentials: boolean({ default: DEFAULTS.cors.credentials }),
      maxAgeSec: integer(0, 86_400, { default: DEFAULTS.cors.maxAgeSec }),
    },
    { required: ['origins'] },
  ),
  ipRulesPolicy: object({ allow: ref('cidrs'), deny: ref('cidrs') }, { description: 'Deny wins; a non-empty allow list admits only those' }),
  securityHeadersPolicy: object({
    hsts: object({
      enabled: boolean({ default: DEFAULTS.securityHeaders.hsts.enabled }),
      maxAgeSec: integer(0, 63_072_000, { default: DEFAULTS.securityHeaders.hsts.maxAgeSec }),
      includeSubDomains: boolean({ default: DEFAULTS.securityHeaders.hsts.includeSubDomains }),
      preload: boolean({ default: DEFAULTS.securityHeaders.hsts.preload }),
    }),
    noSniff: boolean({ default: DEFAULTS.securityHeaders.noSniff }),
    frameAncestors: array(string({ pattern: '^[^;,\\s]+$', patternErrorMessage: 'one CSP source expression', maxLength: 256 }), {
      uniqueItems: true,
      default: DEFAULTS.securityHeaders.frameAncestors,
    }),
    referrerPolicy: oneOf(
      ['no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url'],
      { default: DEFAULTS.securityHeaders.referrerPolicy },
    ),
    crossOriginResourcePolicy: oneOf(['same-origin', 'same-site', 'cross-origin']),
  }),
  transformsPolicy: object({
    request: object(headerOps),
    response: object({ ...headerOps, strip: array(ref('headerPattern'), { uniqueItems: true }) }),
    jsonResponse: object(
      {
        removeFields: array(string({ minLength: 1, maxLength: 128 }), { minItems: 1, uniqueItems: true }),
        maxBufferBytes: integer(1_024, 16_777_216, { default: DEFAULTS.transforms.maxBufferBytes }),
      },
      { required: ['removeFields'] },
    ),
  }),
  requestRulesPolicy: object(
    {
      deny: array(
        object({
          methods: array(oneOf(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']), { minItems: 1, uniqueItems: true }),
          path: regex,
          query: regex,
          header: object({ name: ref('headerName'), pattern: regex }, { required: ['name'] }),
          ignoreCase: boolean({ default: false }),
          reason: string({ maxLength: 256 }),
        }),
        { minItems: 1 },
      ),
    },
    { required: ['deny'] },
  ),
  compressionPolicy: object({
    encodings: array(oneOf(['br', 'gzip']), { minItems: 1, uniqueItems: true, default: DEFAULTS.compression.encodings }),
    minBytes: integer(0, 104_857_600, { default: DEFAULTS.compression.minBytes }),
    excludeTypes: array(
      string({ pattern: '^[a-z0-9!#$&^_.+-]+/([a-z0-9!#$&^_.+-]+|\\*)$', patternErrorMessage: 'a media type such as application/x-ndjson or image/*' }),
      { uniqueItems: true, description: 'In addition to the built-in already-compressed types' },
    ),
  }),
};
