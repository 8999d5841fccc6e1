import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { clientCredentials, fixedPort, spawnApp, workspaceRoot, type SpawnedApp } from '@edge/testing';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: string;
  token?: string;
  apiKey?: string;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export async function call(url: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(url, { method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

export function expectProblem(reply: Reply, status: number, code?: string): Record<string, unknown> {
  expect({ status: reply.status, type: reply.headers['content-type'] }).toEqual({ status, type: expect.stringContaining('application/problem+json') });
  const body = reply.json();
  expect(body['status']).toBe(status);
  if (code) expect(body['type']).toBe(`urn:edge:problem:${code}`);
  expect(reply.text).not.toMatch(/\n\s+at /);
  return body;
}

export interface KeyOptions {
  tenant: string;
  scopes: string;
  partner?: string;
  expires?: string;
}

export interface CreatedKey {
  id: string;
  key: string;
}

export interface PartnerStack {
  issuer: string;
  idp: SpawnedApp;
  orders: SpawnedApp;
  catalog: SpawnedApp;
  bffs: SpawnedApp[];
  /** The first bff-partner's /partner base URL. */
  base: string;
  /** The env the key store is found by (PARTNER_KEYS_FILE or REDIS_URL). */
  keyStoreEnv: Record<string, string>;
  /** An edge-api client-credentials token of a partner client. */
  partnerToken(client: 'partner-acme' | 'partner-globex', scope?: string): Promise<string>;
  /** `npm run partner-keys -- create …` against this stack's key store. */
  createKey(options: KeyOptions): CreatedKey;
  revokeKey(id: string): void;
  /** Revokes every key createKey made that is not revoked yet (a partner may hold two active keys). */
  revokeCreatedKeys(): void;
  /** Runs the CLI and returns what it did. */
  keysCli(args: string[]): { status: number | null; stdout: string; stderr: string };
  startBff(env?: Record<string, string>): Promise<SpawnedApp>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Redis URL shared by the BFF instances and the CLI; without it, a key file in a temp dir. */
  redisUrl?: string;
  /** Number of bff-partner instances (default 1). */
  instances?: number;
  bffEnv?: Record<string, string>;
  ordersEnv?: Record<string, string>;
}

const PARTNER_SECRETS = { 'partner-acme': 'partner-acme-secret', 'partner-globex': 'partner-globex-secret' };

/** dev-idp, demo-orders, demo-catalog and bff-partner as real processes on free ports. */
export async function startPartnerStack(options: StackOptions = {}): Promise<PartnerStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bff-partner-e2e-'));
  const keyStoreEnv: Record<string, string> = options.redisUrl ? { REDIS_URL: options.redisUrl } : { PARTNER_KEYS_FILE: path.join(dir, 'partner-keys.json') };
  const port = await fixedPort();
  const issuer = `http://localhost:${port}`;
  const common = { OIDC_ISSUER: issuer, LOG_LEVEL: 'warn' };
  const started: SpawnedApp[] = [];
  const spawn = async (name: string, env: Record<string, string>, appPort?: number) => {
    const app = await spawnApp(name, { env: { ...common, ...env }, ...(appPort ? { port: appPort } : {}) });
    started.push(app);
    return app;
  };
  try {
    const idp = await spawn('dev-idp', {}, port);
    const [orders, catalog] = await Promise.all([spawn('demo-orders', { FAULTS_ENABLED: 'true', ...options.ordersEnv }), spawn('demo-catalog', { FAULTS_ENABLED: 'true' })]);
    const startBff = (env: Record<string, string> = {}) =>
      spawn('bff-partner', { ORDERS_URL: orders.url, CATALOG_URL: catalog.url, ...keyStoreEnv, ...options.bffEnv, ...env });
    const bffs = await Promise.all(Array.from({ length: options.instances ?? 1 }, () => startBff()));
    const created = new Set<string>();
    const keysCli = (args: string[]) => {
      const run = spawnSync(process.execPath, [path.join(workspaceRoot, 'dist/tools/partner-keys/main.js'), ...args], {
        cwd: workspaceRoot,
        encoding: 'utf8',
        env: { PATH: process.env['PATH'], ...keyStoreEnv },
      });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    return {
      issuer,
      idp,
      orders,
      catalog,
      bffs,
      base: `${(bffs[0] as SpawnedApp).url}/partner`,
      keyStoreEnv,
      partnerToken: async (client, scope = 'catalog:read orders:read orders:write') =>
        (await clientCredentials({ issuer, clientId: client, clientSecret: PARTNER_SECRETS[client], scope })).access_token,
      createKey: (wanted) => {
        const args = ['create', '--tenant', wanted.tenant, '--scopes', wanted.scopes, '--json'];
        if (wanted.partner) args.push('--partner', wanted.partner);
        if (wanted.expires) args.push('--expires', wanted.expires);
        const run = keysCli(args);
        if (run.status !== 0) throw new Error(`partner-keys create failed (${run.status}): ${run.stderr}`);
        const key = JSON.parse(run.stdout) as CreatedKey;
        created.add(key.id);
        return { id: key.id, key: key.key };
      },
      revokeKey: (id) => {
        const run = keysCli(['revoke', id]);
        if (run.status !== 0) throw new Error(`partner-keys revoke failed: ${run.stderr}`);
        created.delete(id);
      },
      revokeCreatedKeys: () => {
        for (const id of created) {
          const run = keysCli(['revoke', id]);
          if (run.status !== 0) throw new Error(`partner-keys revoke failed: ${run.stderr}`);
        }
        created.clear();
      },
      keysCli,
      startBff,
      close: async () => {
        await Promise.all(started.map((app) => app.stop('SIGTERM')));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((app) => app.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (or the time is up). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(everyMs);
  }
}
