import path from 'node:path';
import { ConfigError, duration, list, loadConfig, optional, string, url, type ConfigProblem } from '@edge/config';
import { normalizeOrigin, type BffWebOptions } from '@edge/bff-web-feature';
import { parseSessionKeys } from '@edge/bff-web-session';

/** Scopes bff-web signs users in with: the edge token holds them all, each exchange narrows them. */
export const SIGN_IN_SCOPES = ['openid', 'profile', 'email', 'catalog:read', 'orders:read', 'orders:write', 'profile:read', 'recommendations:read'] as const;

function own(env: Record<string, string | undefined>) {
  return loadConfig(
    {
      OIDC_ISSUER: url({ default: 'http://localhost:4000' }),
      // Where bff-web reaches the IdP when browsers use another address (compose: http://dev-idp:4000).
      OIDC_BACKCHANNEL_URL: optional(url()),
      BFF_WEB_CLIENT_ID: string({ default: 'bff-web' }),
      BFF_WEB_CLIENT_SECRET: optional(string({ secret: true, minLength: 8 })),
      OIDC_TIMEOUT: duration({ default: 5_000, min: 100, max: 60_000 }),
      WEB_ALLOWED_ORIGINS: list({ default: ['http://localhost:8080', 'http://localhost:3001'] }),
      SESSION_ENCRYPTION_KEY: optional(string({ secret: true })),
      SESSION_IDLE_TIMEOUT: duration({ default: 30 * 60_000, min: 1_000, max: 7 * 86_400_000 }),
      SESSION_ABSOLUTE_TIMEOUT: duration({ default: 8 * 3_600_000, min: 1_000, max: 30 * 86_400_000 }),
      TOKEN_REFRESH_MARGIN: duration({ default: 30_000, min: 0, max: 3_600_000 }),
      REDIS_URL: optional(url({ protocols: ['redis:', 'rediss:'] })),
      CATALOG_URL: url({ default: 'http://127.0.0.1:4101' }),
      ORDERS_URL: url({ default: 'http://127.0.0.1:4102' }),
      CUSTOMERS_URL: url({ default: 'http://127.0.0.1:4103' }),
      RECOMMENDATIONS_URL: url({ default: 'http://127.0.0.1:4104' }),
      WEB_APP_DIR: optional(string()),
    },
    env,
  );
}

/**
 * bff-web's environment → the feature module's options, with every problem reported at once.
 * Development defaults (client secret, session key, plain-HTTP issuer and origins) are
 * refused with NODE_ENV=production.
 */
export function bffWebOptions(env: Record<string, string | undefined>, defaultSpaDirectory: string): BffWebOptions {
  const s = own(env);
  const production = env['NODE_ENV'] === 'production';
  const problems: ConfigProblem[] = [];
  const keys = parseSessionKeys(s.SESSION_ENCRYPTION_KEY, env['NODE_ENV']);
  if ('problem' in keys) problems.push({ key: 'SESSION_ENCRYPTION_KEY', message: keys.problem });
  const clientSecret = s.BFF_WEB_CLIENT_SECRET ?? (production ? undefined : 'bff-web-secret');
  if (clientSecret === undefined) problems.push({ key: 'BFF_WEB_CLIENT_SECRET', message: 'is required when NODE_ENV=production' });
  const origins: string[] = [];
  for (const raw of s.WEB_ALLOWED_ORIGINS) {
    const origin = normalizeOrigin(raw);
    if (!origin) problems.push({ key: 'WEB_ALLOWED_ORIGINS', message: `${JSON.stringify(raw)} is not an origin (scheme://host[:port])` });
    else if (production && !origin.startsWith('https:')) problems.push({ key: 'WEB_ALLOWED_ORIGINS', message: `${origin} must be https when NODE_ENV=production` });
    else origins.push(origin);
  }
  if (s.WEB_ALLOWED_ORIGINS.length === 0) problems.push({ key: 'WEB_ALLOWED_ORIGINS', message: 'name at least one origin' });
  const httpIssuer = s.OIDC_ISSUER.startsWith('http:');
  if (production && httpIssuer) problems.push({ key: 'OIDC_ISSUER', message: 'must be https when NODE_ENV=production' });
  if (production && s.OIDC_BACKCHANNEL_URL?.startsWith('http:')) problems.push({ key: 'OIDC_BACKCHANNEL_URL', message: 'must be https when NODE_ENV=production' });
  if (s.SESSION_IDLE_TIMEOUT > s.SESSION_ABSOLUTE_TIMEOUT) problems.push({ key: 'SESSION_IDLE_TIMEOUT', message: 'must not exceed SESSION_ABSOLUTE_TIMEOUT' });
  if (problems.length > 0 || 'problem' in keys || clientSecret === undefined) throw new ConfigError('environment', problems);
  return {
    oidc: {
      issuer: s.OIDC_ISSUER,
      clientId: s.BFF_WEB_CLIENT_ID,
      clientSecret,
      scopes: SIGN_IN_SCOPES,
      allowHttp: httpIssuer,
      timeoutMs: s.OIDC_TIMEOUT,
      ...(s.OIDC_BACKCHANNEL_URL ? { backchannelUrl: s.OIDC_BACKCHANNEL_URL } : {}),
    },
    allowedOrigins: origins,
    session: { keys: keys.keys.map((k) => k.key), idleMs: s.SESSION_IDLE_TIMEOUT, absoluteMs: s.SESSION_ABSOLUTE_TIMEOUT, refreshMarginMs: s.TOKEN_REFRESH_MARGIN },
    ...(s.REDIS_URL ? { redisUrl: s.REDIS_URL } : {}),
    services: { catalogUrl: s.CATALOG_URL, ordersUrl: s.ORDERS_URL, customersUrl: s.CUSTOMERS_URL, recommendationsUrl: s.RECOMMENDATIONS_URL },
    spaDirectory: s.WEB_APP_DIR ? path.resolve(s.WEB_APP_DIR) : defaultSpaDirectory,
  };
}
