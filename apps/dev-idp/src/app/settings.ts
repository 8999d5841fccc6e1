import { ConfigError, int, list, loadConfig, optional, string, url, type ConfigProblem } from '@edge/config';
import { serverSettings, type ServerSettings } from '@edge/server';

export const DEFAULT_PORT = 4000;

function devIdpOwnSettings(env: Record<string, string | undefined>, port: number) {
  return loadConfig(
    {
      // The issuer follows PORT unless set: clients address the IdP as "localhost".
      OIDC_ISSUER: url({ default: `http://localhost:${port}` }),
      BFF_WEB_CLIENT_SECRET: string({ default: 'bff-web-secret', secret: true, minLength: 8 }),
      BFF_WEB_REDIRECT_URIS: list({ default: [] }),
      BFF_WEB_POST_LOGOUT_URIS: list({ default: [] }),
      BFF_WEB_BACKCHANNEL_LOGOUT_URI: url({ default: 'http://localhost:3001/web/backchannel-logout' }),
      ACCESS_TOKEN_TTL_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
      DEV_IDP_JWKS_FILE: optional(string()),
    },
    env,
  );
}

/** What dev-idp reads from its environment (DESIGN.md §3 for the defaults); every problem is reported at once. */
export function devIdpSettings(env: Record<string, string | undefined> = process.env) {
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
  const own = collect(() => devIdpOwnSettings(env, server?.PORT ?? DEFAULT_PORT));
  if (!server || !own) throw new ConfigError('environment', problems);
  return Object.freeze({ ...server, ...own }) as ServerSettings & typeof own;
}

export type DevIdpSettings = ReturnType<typeof devIdpSettings>;
