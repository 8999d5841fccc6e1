import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { startEchoUpstream, workspaceRoot, type EchoUpstream } from '@edge/testing';
import { startGateway, testConfig } from './support/gateway-under-test';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('gateway configuration lifecycle (black box)', () => {
  let a: EchoUpstream;
  let b: EchoUpstream;
  beforeAll(async () => {
    a = await startEchoUpstream();
    b = await startEchoUpstream();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('swaps a valid new config under load without failing a request, and keeps the old one when the new file is invalid', async () => {
    const gw = await startGateway(testConfig({ upstream: a.url }));
    const version = async () => (await request(`${gw.url}/readyz`)).headers['x-config-version'];
    const v1 = await version();
    let failures = 0;
    let total = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        const workers = Array.from({ length: 8 }, async () => {
          const res = await request(`${gw.url}/public/load`).catch(() => undefined);
          total++;
          if (!res || res.statusCode !== 200) failures++;
          await res?.body.dump();
        });
        await Promise.all(workers);
      }
    })();
    await sleep(300);
    gw.writeConfig(testConfig({ upstream: b.url }));
    for (let i = 0; i < 50 && (await version()) === v1; i++) await sleep(100);
    const v2 = await version();
    expect(v2).not.toBe(v1);
    await sleep(300);
    running = false;
    await load;
    expect(total).toBeGreaterThan(50);
    expect(failures).toBe(0);
    expect(b.requests.length).toBeGreaterThan(0);

    gw.writeConfig('version: 1\nclusters: {}\nroutes:\n  - id: broken\n    match: { path: /x/** }\n    cluster: missing\n');
    await sleep(800);
    expect(await version()).toBe(v2);
    const still = await request(`${gw.url}/public/after`);
    expect(still.statusCode).toBe(200);
    await still.body.dump();
    expect(gw.output()).toMatch(/gateway config rejected \(\d+ problems\)/);
    expect(gw.output()).toContain('routes[0].cluster');

    // SIGHUP re-reads the file too
    writeFileSync(gw.configFile, testConfig({ upstream: a.url }));
    gw.process.kill('SIGHUP');
    for (let i = 0; i < 50 && (await version()) === v2; i++) await sleep(100);
    expect(await version()).not.toBe(v2);
    const metrics = await (await request(`${gw.url}/metrics`)).body.text();
    expect(metrics).toMatch(/gateway_config_reloads_total\{[^}]*result="rejected"[^}]*\} [1-9]/);
    await gw.stop();
  }, 60_000);

  it('refuses to start with an invalid config and lists every problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-bad-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nclusters: {}\npolicies: { auth: {} }\nroutes:\n  - id: a\n    match: { path: /a/** }\n    cluster: nope\n  - id: a\n    match: { path: /b/** }\n    cluster: nope\n    auth: nope\n    timeoutMs: 99\n');
    const run = spawnSync(process.execPath, [path.join(workspaceRoot, 'dist/apps/gateway/main.js'), '--config', file], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env['PATH'], PORT: '0' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('routes[0].cluster');
    expect(run.stderr).toContain('routes[1].auth');
    expect(run.stderr).toContain('routes[0].auth');
    expect(run.stderr).toMatch(/routes\[1\]\.id/);
  });

  it('`gateway:check` reports several problems at once with their paths and exits non-zero', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-check-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nclusters:\n  c: { kind: service, destinations: { p: { url: "http://127.0.0.1:1" } }, timeouts: { perTryMs: 4000 }, retries: { maxAttempts: 3 } }\npolicies: { auth: { open: { anonymous: true } } }\nroutes:\n  - id: a\n    match: { path: /a/** }\n    cluster: c\n    auth: open\n    timeoutMs: 5000\n    colour: blue\n  - id: b\n    match: { path: /a/** }\n    cluster: c\n    auth: open\n');
    const run = spawnSync('npm', ['run', '-s', 'gateway:check', '--', file], { cwd: workspaceRoot, encoding: 'utf8', env: process.env });
    expect(run.status).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toContain('routes[0].colour');
    expect(out).toMatch(/routes\[0\]\.timeoutMs|clusters\.c/);
    expect(out).toMatch(/routes\[1\]/);
    const ok = spawnSync('npm', ['run', '-s', 'gateway:check', '--', path.join(workspaceRoot, 'apps/gateway/config/gateway.yaml')], { cwd: workspaceRoot, encoding: 'utf8', env: process.env });
    expect(ok.status).toBe(0);
  });

  it('terminates TLS and speaks HTTP/2 (ALPN) and HTTP/1.1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-tls-'));
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const httpsPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const gw = await startGateway(testConfig({ upstream: a.url, https: { cert, key } }), { HTTPS_PORT: String(httpsPort) });
    const session = connect(`https://127.0.0.1:${httpsPort}`, { ca: readFileSync(cert), servername: 'localhost' });
    const body = await new Promise<{ status: number; alpn: string | false | undefined; text: string }>((resolve, reject) => {
      const stream = session.request({ ':path': '/public/h2?q=1', ':method': 'GET' });
      let status = 0;
      let text = '';
      stream.on('response', (h) => (status = Number(h[':status'])));
      stream.on('data', (d) => (text += d));
      stream.on('end', () => resolve({ status, alpn: session.alpnProtocol, text }));
      stream.on('error', reject);
      stream.end();
    });
    session.close();
    expect(body.alpn).toBe('h2');
    expect(body.status).toBe(200);
    const echoed = JSON.parse(body.text) as { url: string; headers: Record<string, string> };
    expect(echoed.url).toBe('/h2?q=1');
    expect(echoed.headers['x-forwarded-proto']).toBe('https');
    expect(Object.keys(echoed.headers).some((h) => h.startsWith(':'))).toBe(false);
    const ca = readFileSync(cert);
    const h1 = await new Promise<{ status: number; version: string }>((resolve, reject) => {
      https
        .get({ host: '127.0.0.1', port: httpsPort, path: '/public/h1', ca, servername: 'localhost', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, version: res.httpVersion }));
        })
        .on('error', reject);
    });
    expect(h1).toEqual({ status: 200, version: '1.1' });
    // Over TLS as in the clear: CONNECT and TRACE are answered 405, not passed on or dropped.
    for (const line of ['CONNECT 127.0.0.1:1 HTTP/1.1', 'TRACE /public/h1 HTTP/1.1']) {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: httpsPort, ca, servername: 'localhost', ALPNProtocols: ['http/1.1'] }, () =>
          socket.write(`${line}\r\nHost: localhost\r\nConnection: close\r\n\r\n`),
        );
        let data = '';
        socket.on('data', (d) => (data += d.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
        // Unanswered, the request would hold the connection open: give up and fail instead.
        setTimeout(() => socket.destroy(), 3000).unref();
      });
      expect(answer).toMatch(/^HTTP\/1\.1 405/);
      expect(answer).toContain('application/problem+json');
    }
    await gw.stop();
  }, 30_000);

  it('exports server and client spans by OTLP when configured', async () => {
    const received: unknown[] = [];
    const collector = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += d));
      req.on('end', () => {
        received.push(JSON.parse(text));
        res.end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const port = (collector.address() as { port: number }).port;
    const gw = await startGateway(testConfig({ upstream: a.url }), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` });
    const traceId = '1af7651916cd43dd8448eb211c80319c';
    await (await request(`${gw.url}/public/span`, { headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` } })).body.dump();
    for (let i = 0; i < 40 && received.length === 0; i++) await sleep(100);
    await gw.stop();
    collector.close();
    const spans = (received as { resourceSpans: { scopeSpans: { spans: { traceId: string; kind: number; parentSpanId: string }[] }[] }[] }[])
      .flatMap((r) => r.resourceSpans)
      .flatMap((r) => r.scopeSpans)
      .flatMap((s) => s.spans)
      .filter((s) => s.traceId === traceId);
    expect(spans.map((s) => s.kind).sort()).toEqual([2, 3]);
    const server = spans.find((s) => s.kind === 2)!;
    expect(server.parentSpanId).toBe('b7ad6b7169203331');
  }, 30_000);
});
