import { DEFAULTS, HARD_LIMITS } from '../defaults';
import { array, boolean, integer, type JsonSchema, object, oneOf, ref, string } from './json-schema-builders';

const S = DEFAULTS.server;
const port = (fallback: number): JsonSchema => integer(0, 65_535, { default: fallback, description: '0 lets the OS choose (tests)' });
const host = (fallback: string): JsonSchema => string({ minLength: 1, maxLength: 255, default: fallback });
const gatewayPath = (fallback: string): JsonSchema =>
  string({ pattern: '^(/[A-Za-z0-9._~-]+)+$', patternErrorMessage: 'a plain absolute path such as /docs', default: fallback });

export const serverDefs: Record<string, JsonSchema> = {
  server: object({
    http: object({ host: host(S.http.host), port: port(S.http.port) }),
    https: object(
      {
        host: host(S.https.host),
        port: port(S.https.port),
        cert: string({ maxLength: 4096, description: 'PEM certificate (chain) file; https is on when cert and key are both set' }),
        key: string({ maxLength: 4096, description: 'PEM private key file' }),
        http2: boolean({ default: S.https.http2, description: 'Offer h2 via ALPN alongside http/1.1' }),
      },
      { description: 'TLS listener (HTTP/2 via ALPN); enabled when cert and key are non-empty' },
    ),
    trustedProxies: ref('cidrs', { default: [], description: 'Peers whose X-Forwarded-For is believed' }),
    pathParameters: oneOf(['reject', 'forward'], {
      default: S.pathParameters,
      description: 'Paths with `;` (path parameters): servlet containers drop them before matching, so /admin;x/y reaches their /admin/y past the routes of /admin. reject (400) unless upstreams need them',
    }),
    limits: object({
      maxHeaderBytes: integer(1_024, 1_048_576, { default: S.limits.maxHeaderBytes }),
      maxBodyBytes: integer(0, 1_073_741_824, { default: S.limits.maxBodyBytes }),
      defaultRouteTimeoutMs: integer(1, HARD_LIMITS.defaultRouteTimeoutMs, { default: S.limits.defaultRouteTimeoutMs }),
      maxAggregateParts: integer(1, HARD_LIMITS.aggregateParts, { default: S.limits.maxAggregateParts }),
    }),
    stripIdentityHeaders: array(ref('headerPattern'), { uniqueItems: true, default: S.stripIdentityHeaders }),
    admin: object({
      basePath: gatewayPath(S.admin.basePath),
      auth: ref('id', { description: 'A non-anonymous auth policy (or use tokenEnv)' }),
      scopes: ref('scopes'),
      tokenEnv: ref('envName', { description: 'Environment variable holding a static admin bearer token' }),
      ipRules: ref('id'),
    }),
    tokenExchange: object(
      { tokenEndpoint: ref('url'), clientId: string({ minLength: 1, maxLength: 256 }), clientSecretEnv: ref('envName') },
      { required: ['tokenEndpoint', 'clientId', 'clientSecretEnv'] },
    ),
  }),
  openapi: object(
    {
      path: gatewayPath(DEFAULTS.openapi.path),
      docsPath: gatewayPath(DEFAULTS.openapi.docsPath),
      title: string({ minLength: 1, maxLength: 256, default: DEFAULTS.openapi.title }),
      version: string({ minLength: 1, maxLength: 64, default: DEFAULTS.openapi.version }),
      servers: array(ref('url'), { uniqueItems: true }),
      sources: array(
        object(
          {
            cluster: ref('id'),
            path: ref('upstreamPath'),
            fetchTimeoutMs: integer(100, 60_000, { default: DEFAULTS.openapi.fetchTimeoutMs }),
            required: boolean({ default: DEFAULTS.openapi.required }),
          },
          { required: ['cluster', 'path'] },
        ),
      ),
    },
    { required: ['sources'] },
  ),
};
