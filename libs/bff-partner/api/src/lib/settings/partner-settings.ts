import { ConfigError, duration, int, loadConfig, optional, string, url } from '@edge/config';
import { DEFAULT_PARTNER_KEYS_FILE } from '@edge/bff-partner-api-keys';

export interface PartnerLimits {
  /** Requests per rate window. */
  rate: number;
  /** Requests per quota period. */
  quota: number;
}

function httpDate(value: string | undefined, key: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new ConfigError('environment', [{ key, message: `must be a date (ISO 8601 or HTTP-date) (got ${JSON.stringify(value)})` }]);
  return new Date(at);
}

function partnerLimits(raw: string | undefined): ReadonlyMap<string, Partial<PartnerLimits>> {
  if (raw === undefined) return new Map();
  const problems: string[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    problems.push('must be JSON');
  }
  const limits = new Map<string, Partial<PartnerLimits>>();
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    for (const [partner, value] of Object.entries(parsed)) {
      const entry = value as Record<string, unknown>;
      if (typeof value !== 'object' || value === null) {
        problems.push(`${partner} must be an object`);
        continue;
      }
      for (const key of Object.keys(entry)) {
        if (key !== 'rate' && key !== 'quota') problems.push(`${partner}.${key} is not a limit (rate, quota)`);
        else if (!Number.isInteger(entry[key]) || (entry[key] as number) < 1) problems.push(`${partner}.${key} must be a positive integer`);
      }
      limits.set(partner, { ...(entry['rate'] !== undefined ? { rate: entry['rate'] as number } : {}), ...(entry['quota'] !== undefined ? { quota: entry['quota'] as number } : {}) });
    }
  } else if (problems.length === 0) {
    problems.push('must be an object of partner → { rate?, quota? }');
  }
  if (problems.length > 0) throw new ConfigError('environment', problems.map((message) => ({ key: 'PARTNER_LIMITS', message })));
  return limits;
}

/** What the partner BFF reads from its environment (on top of @edge/server's PORT, HOST, ...). */
export function partnerSettings(env: Record<string, string | undefined> = process.env) {
  const base = loadConfig(
    {
      /** The IdP: the only trusted issuer of partner tokens, and where downstream tokens come from. */
      OIDC_ISSUER: url({ default: 'http://localhost:4000' }),
      OIDC_JWKS_URI: optional(url()),
      ORDERS_URL: url({ default: 'http://127.0.0.1:4102' }),
      CATALOG_URL: url({ default: 'http://127.0.0.1:4101' }),
      /** This BFF's own confidential client at the IdP (token exchange and partner delegation). */
      BFF_PARTNER_CLIENT_ID: string({ default: 'bff-partner' }),
      BFF_PARTNER_CLIENT_SECRET: string({ default: 'bff-partner-secret', secret: true, minLength: 8 }),
      /** Shared state (API keys, quotas, idempotency records, operations); memory + key file without it. */
      REDIS_URL: optional(url({ protocols: ['redis:', 'rediss:'] })),
      PARTNER_KEYS_FILE: string({ default: DEFAULT_PARTNER_KEYS_FILE }),
      PARTNER_RATE_LIMIT: int({ default: 100, min: 1 }),
      PARTNER_RATE_WINDOW: duration({ default: 60_000, min: 1000 }),
      PARTNER_QUOTA: int({ default: 10_000, min: 1 }),
      /** The quota resets at each multiple of this period since the epoch (1d: at 00:00 UTC). */
      PARTNER_QUOTA_PERIOD: duration({ default: 86_400_000, min: 1000 }),
      PARTNER_LIMITS: optional(string()),
      PARTNER_V1_SUNSET: optional(string()),
      PARTNER_V1_DEPRECATED_AT: optional(string()),
      IDEMPOTENCY_TTL: duration({ default: 86_400_000, min: 1000 }),
      OPERATIONS_TTL: duration({ default: 86_400_000, min: 1000 }),
      /** How long a bulk operation may run in the background. */
      OPERATION_BUDGET: duration({ default: 300_000, min: 1000 }),
      UPSTREAM_TIMEOUT: duration({ default: 3000, min: 50 }),
    },
    env,
  );
  const problems: ConfigError[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (error instanceof ConfigError) problems.push(error);
      else throw error;
      return undefined;
    }
  };
  const limits = attempt(() => partnerLimits(base.PARTNER_LIMITS));
  const sunset = attempt(() => httpDate(base.PARTNER_V1_SUNSET, 'PARTNER_V1_SUNSET'));
  const deprecatedAt = attempt(() => httpDate(base.PARTNER_V1_DEPRECATED_AT, 'PARTNER_V1_DEPRECATED_AT'));
  if (problems.length > 0) throw new ConfigError('environment', problems.flatMap((p) => p.problems));
  return Object.freeze({ ...base, limits: limits ?? new Map<string, Partial<PartnerLimits>>(), v1Sunset: sunset, v1DeprecatedAt: deprecatedAt });
}

export type PartnerSettings = ReturnType<typeof partnerSettings>;
