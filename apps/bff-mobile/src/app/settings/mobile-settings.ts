import { ConfigError, duration, int, list, loadConfig, optional, string, url, type ConfigProblem } from '@edge/config';
import { serverSettings, type ServerSettings } from '@edge/server';

export const DEFAULT_PORT = 3002;
const VERSION = /^\d{1,6}(\.\d{1,6}){0,2}$/;

function mobileOwnSettings(env: Record<string, string | undefined>) {
  return loadConfig(
    {
      /** The only trusted token issuer (dev-idp in development). */
      OIDC_ISSUER: url({ default: 'http://localhost:4000' }),
      /** JWKS location; default: named by the issuer's discovery document. */
      OIDC_JWKS_URI: optional(url()),
      /** Token endpoint for the exchange; default: named by the issuer's discovery document. */
      OIDC_TOKEN_ENDPOINT: optional(url()),
      /** Audience of the tokens the app presents. */
      MOBILE_AUDIENCE: string({ default: 'edge-api' }),
      /** Token clients allowed to call this BFF (`client_id` of the caller's token). */
      MOBILE_ALLOWED_CLIENTS: list({ default: ['mobile-app'] }),
      /** This BFF's own confidential client at the IdP (token exchange). */
      BFF_MOBILE_CLIENT_ID: string({ default: 'bff-mobile' }),
      BFF_MOBILE_CLIENT_SECRET: string({ default: 'bff-mobile-secret', secret: true, minLength: 8 }),
      CATALOG_URL: url({ default: 'http://127.0.0.1:4101' }),
      ORDERS_URL: url({ default: 'http://127.0.0.1:4102' }),
      CUSTOMERS_URL: url({ default: 'http://127.0.0.1:4103' }),
      RECOMMENDATIONS_URL: url({ default: 'http://127.0.0.1:4104' }),
      /** Per-call deadline of each dependency (retries included); the endpoint budgets cap it further. */
      DOWNSTREAM_TIMEOUT_MS: duration({ default: 2_000, min: 50, max: 60_000 }),
      /** Oldest app version served per platform; older apps get 426 upgrade-required. */
      MOBILE_MIN_VERSION_IOS: string({ default: '0.0.0', pattern: VERSION }),
      MOBILE_MIN_VERSION_ANDROID: string({ default: '0.0.0', pattern: VERSION }),
      /** Where the 426 answer sends users to upgrade (store pages). */
      MOBILE_UPGRADE_URL_IOS: optional(url()),
      MOBILE_UPGRADE_URL_ANDROID: optional(url()),
      /** Distinct app versions (major.minor) counted under their own metric label; later ones count as "other". */
      MOBILE_VERSION_LABELS_MAX: int({ default: 32, min: 1, max: 500 }),
    },
    env,
  );
}

/** What bff-mobile reads from its environment; every problem is reported at once. */
export function mobileSettings(env: Record<string, string | undefined> = process.env) {
  const problems: ConfigProblem[] = [];
  const collect = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const server = collect(() => serverSettings(DEFAULT_PORT, env));
  const own = collect(() => mobileOwnSettings(env));
  if (!server || !own) throw new ConfigError('environment', problems);
  return Object.freeze({ ...server, ...own }) as ServerSettings & typeof own;
}

export type MobileSettings = ReturnType<typeof mobileSettings>;
export const MOBILE_SETTINGS = Symbol('MOBILE_SETTINGS');
