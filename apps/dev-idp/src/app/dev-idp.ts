import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import { createLogger, installOtlpExporterFromEnv, startDefaultMetrics } from '@edge/observability';
import { closeHttpServer, installGracefulShutdown, Readiness, releaseStartupMemory } from '@edge/server';
import { createInteractions } from './interactions';
import { providerConfiguration } from './provider-config';
import { installProviderHooks } from './provider-hooks';
import { createDevIdpServer } from './server';
import { devIdpSettings, type DevIdpSettings } from './settings';
import { generateSigningKeys, loadSigningKeys } from './signing-keys';
import { registerPartnerDelegation } from './partner-delegation.grant';
import { registerTokenExchange } from './token-exchange.grant';

export interface RunningDevIdp {
  issuer: string;
  /** Where it listens (the issuer names "localhost"; this is the bound address). */
  url: string;
  server: Server;
  provider: Provider;
  readiness: Readiness;
  settings: DevIdpSettings;
  /** Same as SIGTERM, without exiting the process. */
  shutdown: () => Promise<void>;
}

/** Builds the provider, listens on HOST:PORT, and installs the SIGTERM drain. */
export async function startDevIdp(env: Record<string, string | undefined> = process.env): Promise<RunningDevIdp> {
  const settings = devIdpSettings(env);
  const logger = createLogger({ service: 'dev-idp', level: settings.LOG_LEVEL });
  startDefaultMetrics('dev-idp');
  const spans = installOtlpExporterFromEnv('dev-idp', env);

  const keys = settings.DEV_IDP_JWKS_FILE ? loadSigningKeys(settings.DEV_IDP_JWKS_FILE) : generateSigningKeys();
  const provider = new Provider(
    settings.OIDC_ISSUER,
    providerConfiguration({ ...settings, keys, cookieKeys: [randomBytes(32).toString('base64url')] }),
  );
  registerTokenExchange(provider, {
    issuer: settings.OIDC_ISSUER,
    publicJwks: keys.publicJwks as Parameters<typeof registerTokenExchange>[1]['publicJwks'],
    accessTokenTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS,
  });
  registerPartnerDelegation(provider, { accessTokenTtlSeconds: settings.ACCESS_TOKEN_TTL_SECONDS });
  installProviderHooks(provider, logger);
  await assertClientsValid(provider);

  const readiness = new Readiness();
  const server = createDevIdpServer({ provider, interactions: createInteractions(provider, logger), readiness, logger });
  // It does not start through startEdgeApp, so it returns start-up's garbage itself.
  releaseStartupMemory();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.PORT, settings.HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  readiness.markReady();

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST}:${port}`;
  const shutdown = installGracefulShutdown(
    readiness,
    {
      closeServer: () => closeHttpServer(server),
      cleanup: async () => {
        await spans?.shutdown();
      },
      forceClose: () => server.closeAllConnections(),
    },
    { drainDelayMs: settings.SHUTDOWN_DRAIN_DELAY_MS, graceMs: settings.SHUTDOWN_GRACE_MS, log: (m) => logger.info(m) },
  );
  logger.info({ issuer: settings.OIDC_ISSUER, url }, `dev-idp listening on ${url} (issuer ${settings.OIDC_ISSUER})`);
  return { issuer: settings.OIDC_ISSUER, url, server, provider, readiness, settings, shutdown };
}

/** oidc-provider validates static clients on first use; a bad redirect URI from the environment should stop the start instead. */
async function assertClientsValid(provider: Provider): Promise<void> {
  for (const id of ['bff-web', 'bff-mobile', 'bff-partner', 'mobile-app', 'partner-acme', 'partner-globex']) {
    try {
      if (!(await provider.Client.find(id))) throw new Error('not found');
    } catch (cause) {
      throw new Error(`client ${id} is misconfigured: ${(cause as Error & { error_description?: string }).error_description ?? (cause as Error).message}`, { cause });
    }
  }
}
