import { randomBytes } from 'node:crypto';
import { fixedPort, spawnApp, type SpawnedApp } from '@edge/testing';

/** Generous: the machine may be busy with other test projects starting their own processes. */
export const READY_TIMEOUT_MS = 60_000;

export const SERVICES = ['catalog', 'orders', 'customers', 'recommendations'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface BffInstance extends SpawnedApp {
  /** What a browser uses: http://localhost:<port> (a secure context for Chromium). */
  origin: string;
}

export interface WebStack {
  idp: SpawnedApp;
  /** The issuer: http://localhost:<port>. */
  issuer: string;
  services: Record<ServiceName, SpawnedApp>;
  bffs: BffInstance[];
  /** The session key the instances share (hex). */
  sessionKey: string;
  /** Spawns one more bff-web with the stack's settings (e.g. after changing env). */
  startBff(port: number, env?: Record<string, string>): Promise<BffInstance>;
  /** Stops dev-idp and starts a fresh one on the same port: every grant and refresh token it issued is forgotten. */
  restartIdp(): Promise<void>;
  stop(): Promise<void>;
}

export interface WebStackOptions {
  /** How many bff-web instances (they share the session key; give REDIS_URL in bffEnv to share sessions). */
  bffs?: number;
  bffEnv?: Record<string, string>;
  idpEnv?: Record<string, string>;
  /** Where dev-idp sends back-channel logout (default: the first bff-web). */
  backchannelLogoutUri?: (bffOrigins: string[]) => string;
  /** More origins users may come through (a gateway): allowed by bff-web and registered at dev-idp. */
  extraOrigins?: string[];
  /** Replace a service's URL (e.g. with an echo upstream) instead of starting it. */
  serviceUrls?: Partial<Record<ServiceName, string>>;
}

/**
 * dev-idp, the four demo services (faults enabled) and bff-web instance(s) on free ports,
 * wired the way `npm start` wires them, with bff-web's callback registered at dev-idp.
 */
export async function startWebStack(options: WebStackOptions = {}): Promise<WebStack> {
  const started: SpawnedApp[] = [];
  try {
    const bffPorts: number[] = [];
    for (let i = 0; i < (options.bffs ?? 1); i++) bffPorts.push(await fixedPort());
    const bffOrigins = bffPorts.map((p) => `http://localhost:${p}`);
    const origins = [...bffOrigins, ...(options.extraOrigins ?? [])];
    const idpEnv = {
      LOG_LEVEL: 'warn',
      BFF_WEB_REDIRECT_URIS: origins.map((o) => `${o}/web/callback`).join(','),
      BFF_WEB_POST_LOGOUT_URIS: origins.map((o) => `${o}/web/`).join(','),
      BFF_WEB_BACKCHANNEL_LOGOUT_URI: options.backchannelLogoutUri?.(bffOrigins) ?? `${bffOrigins[0]}/web/backchannel-logout`,
      ...options.idpEnv,
    };
    let idp = await spawnApp('dev-idp', { readyTimeoutMs: READY_TIMEOUT_MS, env: idpEnv });
    started.push(idp);
    const issuer = `http://localhost:${idp.port}`;
    const services = {} as Record<ServiceName, SpawnedApp>;
    // allSettled: when one fails to start, the others are still all known (and stopped below).
    const spawned = await Promise.allSettled(
      SERVICES.filter((s) => !options.serviceUrls?.[s]).map(async (s) => {
        services[s] = await spawnApp(`demo-${s}`, { readyTimeoutMs: READY_TIMEOUT_MS, env: { LOG_LEVEL: 'warn', OIDC_ISSUER: issuer, FAULTS_ENABLED: 'true' } });
        started.push(services[s]);
      }),
    );
    for (const result of spawned) if (result.status === 'rejected') throw result.reason;
    const url = (s: ServiceName) => options.serviceUrls?.[s] ?? services[s].url;
    const sessionKey = randomBytes(32).toString('hex');
    const startBff = async (port: number, env: Record<string, string> = {}): Promise<BffInstance> => {
      const app = await spawnApp('bff-web', {
        readyTimeoutMs: READY_TIMEOUT_MS,
        port,
        env: {
          LOG_LEVEL: 'debug',
          OIDC_ISSUER: issuer,
          WEB_ALLOWED_ORIGINS: origins.join(','),
          SESSION_ENCRYPTION_KEY: sessionKey,
          CATALOG_URL: url('catalog'),
          ORDERS_URL: url('orders'),
          CUSTOMERS_URL: url('customers'),
          RECOMMENDATIONS_URL: url('recommendations'),
          ...options.bffEnv,
          ...env,
        },
      });
      started.push(app);
      return Object.assign(app, { origin: `http://localhost:${port}` });
    };
    const bffResults = await Promise.allSettled(bffPorts.map((p) => startBff(p)));
    const bffs = bffResults.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    return {
      get idp() {
        return idp;
      },
      issuer,
      services,
      bffs,
      sessionKey,
      startBff,
      restartIdp: async () => {
        await idp.stop();
        idp = await spawnApp('dev-idp', { port: idp.port, readyTimeoutMs: READY_TIMEOUT_MS, env: idpEnv });
        started.push(idp);
      },
      stop: async () => {
        await Promise.all(started.map((a) => a.stop()));
      },
    };
  } catch (error) {
    await Promise.all(started.map((a) => a.stop()));
    throw error;
  }
}

/** A demo service's fault injection (its own port only). */
export async function setFaults(service: SpawnedApp, faults: Record<string, unknown> | null): Promise<void> {
  const res = await fetch(`${service.url}/__faults`, faults ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) } : { method: 'DELETE' });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`faults on ${service.name} answered ${res.status}`);
}

/** dev-idp's count of token requests of one grant type by bff-web (its /metrics). */
export async function bffWebTokenRequests(idp: SpawnedApp, grantType: string): Promise<number> {
  const text = await (await fetch(`${idp.url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('dev_idp_token_requests_total{')) continue;
    if (line.includes(`grant_type="${grantType}"`) && line.includes('client_id="bff-web"')) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;

/** Logs never carry tokens, cookie values, session ids or authorization codes. */
export function expectCleanLogs(output: string, secrets: Iterable<string | undefined>): void {
  expect(output.length).toBeGreaterThan(0);
  expect(JWT.exec(output)?.[0]).toBeUndefined();
  for (const secret of secrets) {
    if (!secret || secret.length < 8) continue;
    // Report which kind leaked without printing the secret itself.
    expect({ leaked: output.includes(secret) ? `${secret.slice(0, 4)}…` : false }).toEqual({ leaked: false });
  }
}

/**
 * Until `call` answers whole (200 without Partial-Response): the first calls after start-up
 * pay for JWKS fetches, token exchanges and connections (slow on a busy machine), and after a
 * fault test the dependency's circuit breaker stays open for a while. Tests about
 * composition start from a healthy state.
 */
export async function untilWhole(call: () => Promise<{ status: number; headers: Headers }>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call();
    if (res.status === 200 && res.headers.get('partial-response') === null) return;
    if (Date.now() > deadline) throw new Error(`still not whole after ${timeoutMs} ms (last status ${res.status})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
