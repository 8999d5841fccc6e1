import { int, list, loadConfig, optional, string, url } from '@edge/config';
import { serverSettings } from '@edge/server';

export const DEFAULT_PORT = 4000;

/** What dev-idp reads from its environment (DESIGN.md §3 for the defaults). */
export function devIdpSettings(env: Record<string, string | undefined> = process.env) {
  const server = serverSettings(DEFAULT_PORT, env);
  const own = loadConfig(
    {
      // The issuer follows PORT unless set: clients address the IdP as "localhost".
      OIDC_ISSUER: url({ default: `http://localhost:${server.PORT}` }),
      BFF_WEB_CLIENT_SECRET: string({ default: 'bff-web-secret', secret: true, minLength: 8 }),
      BFF_WEB_REDIRECT_URIS: list({ default: [] }),
      BFF_WEB_POST_LOGOUT_URIS: list({ default: [] }),
      BFF_WEB_BACKCHANNEL_LOGOUT_URI: url({ default: 'http://localhost:3001/web/backchannel-logout' }),
      ACCESS_TOKEN_TTL_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
      DEV_IDP_JWKS_FILE: optional(string()),
    },
    env,
  );
  return { ...server, ...own };
}

export type DevIdpSettings = ReturnType<typeof devIdpSettings>;
