import { bool, loadConfig, optional, url } from '@edge/config';

/** Environment every demo service reads on top of @edge/server's (PORT, HOST, LOG_LEVEL, ...). */
export function demoSettings(env: Record<string, string | undefined> = process.env) {
  return loadConfig(
    {
      /** Token issuer (dev-idp). */
      OIDC_ISSUER: url({ default: 'http://localhost:4000' }),
      /** JWKS location; without it the issuer's discovery document names it (fallback `${issuer}/jwks`). */
      OIDC_JWKS_URI: optional(url()),
      /** `PUT/DELETE /__faults` (dev stack and tests only). */
      FAULTS_ENABLED: bool({ default: false }),
    },
    env,
  );
}

export type DemoSettings = ReturnType<typeof demoSettings>;
