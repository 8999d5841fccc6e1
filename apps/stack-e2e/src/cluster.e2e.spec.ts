import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'undici';
import { clientCredentials, fixedPort, loginWithPkce, startRedisServer, WebClient, workspaceRoot, type RedisServer } from '@edge/testing';

const apps = ['dev-idp', 'demo-catalog', 'demo-orders', 'demo-customers', 'demo-recommendations', 'bff-web', 'bff-mobile', 'bff-partner', 'gateway'];
const portVar = (name: string) => `${name.toUpperCase().replace(/-/g, '_')}_PORT`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Instance ports p, p + 10000 and p + 20000 below the kernel's ephemeral range (fixedPort):
 * ports from that range could be taken, by another suite or an outbound socket, while an
 * instance restarts during the rollout, and nginx would then send its traffic to a stranger.
 */
const clusterPort = () => fixedPort([0, 10000, 20000]);

/**
 * Issue 8, "many instances behave as one": the real cluster (`npm run start:cluster`: two
 * gateways and two of each BFF behind nginx, one Redis) under load while instances roll and
 * Redis restarts.
 */
describe('the cluster (nginx, two instances each, Redis)', () => {
  let launcher: ChildProcess;
  let output = '';
  let redis: RedisServer;
  const ports: Record<string, number> = {};
  let gateway = '';

  const waitFor = async (text: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    const from = output.length;
    while (!output.slice(from).includes(text)) {
      if (launcher.exitCode !== null) throw new Error(`cluster exited:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${output.slice(-4000)}`);
      await sleep(200);
    }
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    for (const app of apps) ports[app] = await clusterPort();
    const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', REDIS_URL: redis.url, LOG_LEVEL: 'warn' };
    for (const app of apps) env[portVar(app)] = String(ports[app]);
    launcher = spawn(process.execPath, ['tools/dev-stack/start.mjs', '--cluster'], { cwd: workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    launcher.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    launcher.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 200_000;
    while (!output.includes('Ctrl-C stops everything')) {
      if (launcher.exitCode !== null) throw new Error(`cluster exited early:\n${output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`cluster not ready:\n${output.slice(-4000)}`);
      await sleep(300);
    }
    gateway = `http://127.0.0.1:${ports['gateway']}`;
  }, 240_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      const exited = new Promise((r) => launcher.once('exit', r));
      launcher.kill('SIGTERM');
      await exited;
    }
    await redis?.stop();
  }, 60_000);

  it('enforces one rate limit across both gateway instances', async () => {
    // per-ip on the catalog route: 120 per minute (a token bucket: one more every 500 ms),
    // whichever gateway instance nginx picks. Two independent limits would allow 240.
    const started = Date.now();
    const statuses: number[] = [];
    for (let i = 0; i < 130; i++) {
      const res = await request(`${gateway}/api/catalog/products?limit=1`);
      statuses.push(res.statusCode);
      await res.body.dump();
    }
    const refills = Math.ceil((Date.now() - started) / 500);
    const ok = statuses.filter((s) => s === 200).length;
    expect(ok).toBeGreaterThanOrEqual(120);
    expect(ok).toBeLessThanOrEqual(120 + refills);
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses.slice(-5).every((s) => s === 429)).toBe(true);
  });

  /** bff-web's two instances, addressed directly (cookies ignore ports, as in browsers). */
  const bffWebInstances = () => [ports['bff-web']! + 10000, ports['bff-web']! + 20000].map((p) => `http://localhost:${p}`);

  async function signedInThroughTheGateway(): Promise<WebClient> {
    const browser = new WebClient(`http://localhost:${ports['gateway']}`);
    await browser.login('alice');
    return browser;
  }

  it('a web session created through one bff-web instance works on the other', async () => {
    const browser = await signedInThroughTheGateway();
    for (const instance of bffWebInstances()) {
      const res = await browser.api(`${instance}/web/session`);
      expect({ instance, authenticated: res.json<{ authenticated: boolean }>().authenticated }).toEqual({ instance, authenticated: true });
    }
    const home = await browser.api('/web/api/home');
    expect({ status: home.status, body: home.status === 200 ? '' : home.text }).toEqual({ status: 200, body: '' }); // a failure shows its problem
  });

  it('a back-channel logout received by one instance ends the session on both', async () => {
    const browser = await signedInThroughTheGateway();
    const issuer = `http://localhost:${ports['dev-idp']}`;
    // Sign out at the IdP (as another application of the same IdP session would): dev-idp
    // delivers the logout token to bff-web through nginx, i.e. to one of the instances.
    const page = await browser.request(`${issuer}/session/end?client_id=bff-web`);
    const action = /<form[^>]*action="([^"]+)"/.exec(page.text)?.[1];
    const fields = new URLSearchParams();
    for (const m of page.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(m[1]!, m[2]!);
    expect(action).toBeDefined();
    await browser.request(new URL(action!, issuer).href, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
    for (const instance of bffWebInstances()) {
      let authenticated = true;
      for (let i = 0; i < 50 && authenticated; i++) {
        authenticated = (await browser.api(`${instance}/web/session`)).json<{ authenticated: boolean }>().authenticated;
        if (authenticated) await sleep(100);
      }
      expect({ instance, authenticated }).toEqual({ instance, authenticated: false });
    }
  });

  it('partner idempotency holds when the duplicate lands on the other instance', async () => {
    const { access_token: token } = await clientCredentials({
      issuer: `http://localhost:${ports['dev-idp']}`,
      clientId: 'partner-acme',
      clientSecret: 'partner-acme-secret',
      scope: 'orders:read orders:write catalog:read',
    });
    const partner = [ports['bff-partner']! + 10000, ports['bff-partner']! + 20000].map((p) => `http://127.0.0.1:${p}`);
    const key = `cluster-${Date.now()}`;
    const body = JSON.stringify({ items: [{ productId: 'prod_001', quantity: 2 }] });
    const send = (base: string) =>
      request(`${base}/partner/v1/orders`, { method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key } });
    const first = await send(partner[0]!);
    const firstBody = (await first.body.json()) as { id: string };
    expect({ status: first.statusCode, body: first.statusCode === 201 ? {} : firstBody }).toEqual({ status: 201, body: {} }); // a failure shows its problem
    const second = await send(partner[1]!);
    expect(second.statusCode).toBe(201);
    expect(((await second.body.json()) as { id: string }).id).toBe(firstBody.id);
    const other = await request(`${partner[1]}/partner/v1/orders`, {
      method: 'POST',
      body: JSON.stringify({ items: [{ productId: 'prod_002', quantity: 1 }] }),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    });
    expect(other.statusCode).toBe(422);
    await other.body.dump();
  });

  it('rolls every gateway and BFF instance under steady load without failing a request', async () => {
    const { access_token: token } = await loginWithPkce({
      issuer: `http://localhost:${ports['dev-idp']}`,
      clientId: 'mobile-app',
      redirectUri: 'http://127.0.0.1/callback',
      user: 'alice',
      password: 'password',
      scope: 'openid catalog:read orders:read',
    });
    const calls: [string, Record<string, string>][] = [
      ['/web/session', { 'x-csrf': '1' }],
      ['/mobile/v1/products?limit=2', { authorization: `Bearer ${token}`, 'x-app-version': '9.9.9', 'x-app-platform': 'ios' }],
    ];
    let running = true;
    let total = 0;
    const failures: string[] = [];
    const load = (async () => {
      while (running) {
        const started = Date.now();
        await Promise.all(
          calls.map(async ([path, headers]) => {
            try {
              const res = await request(`${gateway}${path}`, { headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
              const text = await res.body.text();
              total++;
              // The problem's type and detail say which part failed.
              if (res.statusCode !== 200) failures.push(`${path} ${res.statusCode} ${text.slice(0, 300)}`);
            } catch (error) {
              total++;
              failures.push(`${path} ${(error as Error).message}`);
            }
          }),
        );
        await sleep(Math.max(0, 250 - (Date.now() - started)));
      }
    })();
    await sleep(1000);
    launcher.kill('SIGUSR2');
    await waitFor('rollout complete', 300_000);
    await sleep(1000);
    running = false;
    await load;
    expect(output).toMatch(/rollout: gateway#1 restarted[\s\S]*rollout: gateway#2 restarted/);
    expect(output).toMatch(/rollout: bff-web#1 restarted[\s\S]*rollout: bff-web#2 restarted/);
    expect(total).toBeGreaterThan(40);
    expect(failures).toEqual([]);
  }, 330_000);

  it('survives a Redis restart during load and recovers without restarting the apps', async () => {
    await redis.stop();
    const during: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await request(`${gateway}/web/session`, { headers: { 'x-csrf': '1' } });
      during.push(res.statusCode);
      await res.body.dump();
    }
    // per-ip-web fails open (documented default): no request is refused because Redis is down.
    expect(during.every((s) => s < 500)).toBe(true);
    await redis.start();
    await sleep(2000);
    const after = await request(`${gateway}/web/session`, { headers: { 'x-csrf': '1' } });
    expect(after.statusCode).toBeLessThan(500);
    expect(after.headers['ratelimit']).toBeDefined();
    await after.body.dump();
    expect(output).not.toMatch(/exited unexpectedly/);
  }, 60_000);
});
