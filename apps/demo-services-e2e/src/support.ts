import { request } from 'undici';
import { spawnApp, startTestIssuer, type SpawnedApp, type TestIssuer } from '@edge/testing';

export type ServiceName = 'demo-catalog' | 'demo-orders' | 'demo-customers' | 'demo-recommendations';

export const AUDIENCE: Record<ServiceName, string> = {
  'demo-catalog': 'catalog-api',
  'demo-orders': 'orders-api',
  'demo-customers': 'customers-api',
  'demo-recommendations': 'recommendations-api',
};

export const ALL_SCOPES = 'catalog:read orders:read orders:write profile:read recommendations:read';
const TENANT_OF: Record<string, string> = { alice: 'acme', bob: 'acme', carol: 'globex', 'partner-acme': 'acme', 'partner-globex': 'globex' };

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: string;
  token?: string;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are (with content-type application/json). */
  body?: unknown;
}

/** One HTTP exchange, body read in full. */
export async function call(url: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(url, { method: (options.method ?? 'GET') as 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

export interface DemoStack {
  issuer: TestIssuer;
  url(service: ServiceName): string;
  app(service: ServiceName): SpawnedApp;
  /**
   * A token for `service`'s audience. Defaults: user alice of acme with every scope; any
   * claim can be overridden (aud, tenant, scope, exp...).
   */
  token(service: ServiceName, claims?: Record<string, unknown>, options?: Parameters<TestIssuer['mint']>[1]): Promise<string>;
  close(): Promise<void>;
}

/** Spawns the built services against a test issuer (JWKS on loopback), faults enabled. */
export async function startDemoStack(services: ServiceName[], env: Record<string, string> = {}): Promise<DemoStack> {
  const issuer = await startTestIssuer();
  const apps = new Map<ServiceName, SpawnedApp>();
  try {
    await Promise.all(
      services.map(async (name) => {
        const app = await spawnApp(name, {
          env: { OIDC_ISSUER: issuer.issuer, OIDC_JWKS_URI: issuer.jwksUri, FAULTS_ENABLED: 'true', LOG_LEVEL: 'warn', ...env },
        });
        apps.set(name, app);
      }),
    );
  } catch (error) {
    await Promise.all([...apps.values()].map((a) => a.stop('SIGKILL')));
    await issuer.close();
    throw error;
  }
  const get = (name: ServiceName) => {
    const app = apps.get(name);
    if (!app) throw new Error(`${name} was not started`);
    return app;
  };
  return {
    issuer,
    url: (name) => get(name).url,
    app: get,
    token: (service, claims = {}, options = {}) => {
      const sub = typeof claims['sub'] === 'string' ? claims['sub'] : 'alice';
      return issuer.mint({ aud: AUDIENCE[service], sub, tenant: TENANT_OF[sub], client_id: 'bff-web', scope: ALL_SCOPES, ...claims }, options);
    },
    close: async () => {
      await Promise.all([...apps.values()].map((a) => a.stop('SIGTERM')));
      await issuer.close();
    },
  };
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
