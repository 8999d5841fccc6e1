import { request } from 'undici';
import { fixedPort, loginWithPkce, spawnApp, type SpawnedApp } from '@edge/testing';

export const SERVICES = ['demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const USER_SCOPES = 'openid profile:read orders:read orders:write catalog:read recommendations:read';
/** An app version above every minimum the stack is started with. */
export const CURRENT_APP = { 'x-app-version': '3.4.0', 'x-app-platform': 'ios' };

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes (compressed when the response was). */
  bytes: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  token?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Leave out the current-app headers. */
  noAppHeaders?: boolean;
}

export async function call(url: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(options.noAppHeaders ? {} : CURRENT_APP), ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(url, { method: options.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const bytes = Buffer.from(await res.body.arrayBuffer());
  const text = bytes.toString('utf8');
  return { status: res.statusCode, headers: res.headers, bytes, text, json: <T>() => JSON.parse(text) as T };
}

export function expectProblem(reply: Reply, status: number, type?: string): Record<string, unknown> {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toContain('application/problem+json');
  const body = reply.json();
  expect(body['status']).toBe(status);
  if (type) expect(body['type']).toBe(`urn:edge:problem:${type}`);
  expect(reply.text).not.toMatch(/\n\s+at /);
  return body;
}

/** Sum of a counter's samples (all label sets, or those containing every `match` fragment) in a Prometheus text page. */
export function counterSum(metricsText: string, name: string, match: string[] = []): number {
  let sum = 0;
  for (const line of metricsText.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!match.every((m) => line.includes(m))) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export interface MobileStack {
  issuer: string;
  idp: SpawnedApp;
  bff: SpawnedApp;
  service(name: ServiceName): SpawnedApp;
  /** An edge-api access token of `user` from the mobile-app client (PKCE). */
  login(user: string, scope?: string): Promise<string>;
  /** GET or call a bff-mobile path (`/mobile/v1/...`). */
  mobile(path: string, options?: CallOptions): Promise<Reply>;
  fault(name: ServiceName, settings: Record<string, unknown>): Promise<void>;
  clearFaults(): Promise<void>;
  metrics(app: SpawnedApp): Promise<string>;
  /** Requests the four domain services have served so far (their own request metric). */
  downstreamRequests(): Promise<number>;
  close(): Promise<void>;
}

/** Every process a stack started and has not stopped yet (a start that timed out leaves some behind). */
const running = new Set<SpawnedApp>();
/** Set by stopStragglers: a process that becomes ready after the suite gave up is stopped at once. */
let abandoned = false;

function track(app: SpawnedApp): SpawnedApp {
  if (abandoned) void app.stop('SIGKILL');
  running.add(app);
  void app.exited.then(() => running.delete(app));
  return app;
}

/** Stops whatever is still running (for afterAll, whether or not the stack finished starting). */
export async function stopStragglers(): Promise<void> {
  abandoned = true;
  await Promise.all([...running].map((app) => app.stop('SIGKILL')));
}

/** dev-idp, the four demo services (faults enabled) and bff-mobile, as real processes on loopback. */
export async function startMobileStack(bffEnv: Record<string, string> = {}): Promise<MobileStack> {
  const port = await fixedPort();
  const issuer = `http://localhost:${port}`;
  const started: SpawnedApp[] = [];
  try {
    const idp = track(await spawnApp('dev-idp', { port, readyTimeoutMs: 60_000, env: { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' } }));
    started.push(idp);
    const services = await Promise.all(SERVICES.map(async (name) => track(await spawnApp(name, { readyTimeoutMs: 60_000, env: { OIDC_ISSUER: issuer, FAULTS_ENABLED: 'true', LOG_LEVEL: 'error' } }))));
    started.push(...services);
    const byName = new Map(SERVICES.map((name, i) => [name, services[i] as SpawnedApp]));
    const url = (name: ServiceName) => (byName.get(name) as SpawnedApp).url;
    const bff = track(await spawnApp('bff-mobile', {
      readyTimeoutMs: 60_000,
      env: {
        OIDC_ISSUER: issuer,
        CATALOG_URL: url('demo-catalog'),
        ORDERS_URL: url('demo-orders'),
        CUSTOMERS_URL: url('demo-customers'),
        RECOMMENDATIONS_URL: url('demo-recommendations'),
        LOG_LEVEL: 'warn',
        ...bffEnv,
      },
    }));
    started.push(bff);
    const metrics = async (app: SpawnedApp) => (await call(`${app.url}/metrics`, { noAppHeaders: true })).text;
    return {
      issuer,
      idp,
      bff,
      service: (name) => byName.get(name) as SpawnedApp,
      login: async (user, scope = USER_SCOPES) =>
        (await loginWithPkce({ issuer, clientId: 'mobile-app', redirectUri: 'http://127.0.0.1/callback', user, password: 'password', scope })).access_token,
      mobile: (path, options) => call(`${bff.url}${path}`, options),
      fault: async (name, settings) => {
        const res = await call(`${url(name)}/__faults`, { method: 'PUT', body: settings, noAppHeaders: true });
        if (res.status !== 200) throw new Error(`PUT /__faults on ${name}: ${res.status} ${res.text}`);
      },
      clearFaults: async () => {
        await Promise.all(SERVICES.map((name) => call(`${url(name)}/__faults`, { method: 'DELETE', noAppHeaders: true })));
      },
      metrics,
      downstreamRequests: async () => {
        const pages = await Promise.all(services.map((s) => metrics(s)));
        return pages.reduce((sum, page) => sum + counterSum(page, 'http_server_request_duration_seconds_count', ['route="/']) - counterSum(page, 'http_server_request_duration_seconds_count', ['route="/metrics"']), 0);
      },
      close: async () => {
        await Promise.all(started.slice(1).map((app) => app.stop()));
        await idp.stop();
      },
    };
  } catch (error) {
    await Promise.all(started.map((app) => app.stop('SIGKILL')));
    throw error;
  }
}
