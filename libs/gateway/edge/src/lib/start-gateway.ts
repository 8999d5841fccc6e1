import { readFileSync } from 'node:fs';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createLogger, type LogLevel } from '@edge/observability';
import { createAccessLog } from './access-log';
import { refuseConnect, serverSettings, startEdgeApp, type Readiness, type RunningApp } from '@edge/server';
import { createStateStore, MemoryStateStore } from '@edge/state';
import { metricsObserver, observeClusters } from './gateway-metrics';
import type { GatewayRuntime } from './gateway-runtime';
import { fetchUpstream } from './proxy-handler';
import { ConfigHolder, InvalidGatewayConfigError } from './config-holder';
import { GatewayModule } from './gateway.module';
import { createGatewayDispatch, gatewayServerFactory } from './proxy-server';
import { registerGatewayEndpoints } from './gateway-endpoints';
import { createAggregator } from './aggregate';

export interface GatewayOptions {
  /** Config file; default: --config, GATEWAY_CONFIG, or the shipped default. */
  configFile: string;
  env?: Record<string, string | undefined>;
}

export interface RunningGateway extends RunningApp {
  holder: ConfigHolder;
  /** HTTPS (HTTP/2 via ALPN, HTTP/1.1 too) when the config names a cert and key. */
  httpsUrl: string | undefined;
}

/**
 * TLS termination: one secure server that speaks HTTP/2 (ALPN h2) and HTTP/1.1, handing
 * every request to the same Fastify routing as the plain listener. It stops accepting with
 * the plain listener on shutdown.
 */
async function listenTls(
  handler: (req: never, res: never) => void,
  https: { host: string; port: number; certFile: string; keyFile: string; http2: boolean },
  env: Record<string, string | undefined>,
): Promise<{ server: Http2SecureServer; url: string }> {
  const server = createSecureServer(
    { cert: readFileSync(https.certFile), key: readFileSync(https.keyFile), allowHTTP1: true, ...(https.http2 ? {} : { ALPNProtocols: ['http/1.1'] }) },
    (req, res) => handler(req as never, res as never),
  );
  // HTTP/1.1 over TLS: a CONNECT gets the same 405 as on the plain listener (startEdgeApp's).
  server.on('connect', refuseConnect);
  const port = Number(env['HTTPS_PORT'] ?? https.port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, https.host, () => resolve());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  return { server, url: `https://${https.host}:${actual}` };
}

/** `--config <file>` beats GATEWAY_CONFIG beats the default file next to the build. */
export function resolveConfigFile(argv: readonly string[], env: Record<string, string | undefined>, fallback: string): string {
  const i = argv.indexOf('--config');
  const fromArg = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  return path.resolve(fromArg ?? env['GATEWAY_CONFIG'] ?? fallback);
}

/**
 * Starts the gateway: the config is validated first (an invalid file stops start-up with
 * every problem listed), then the Fastify app with the proxy route, then the watcher.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const level = (env['LOG_LEVEL'] as LogLevel | undefined) ?? 'info';
  const log = createLogger({ service: 'gateway', level });
  const accessLog = createAccessLog('gateway', level);
  // Shared across config versions: counters and cache entries survive reloads.
  const state = createStateStore({ redisUrl: env['REDIS_URL'], keyPrefix: 'edge:gateway:' });
  const memoryState = new MemoryStateStore();
  const holder = ConfigHolder.load(options.configFile, { observer: metricsObserver, state, memoryState, log, fetchUpstream, aggregator: createAggregator() }, env);
  observeClusters(() => holder.current.clusters.values());
  const server = holder.current.config.server;
  const readiness: { current?: Readiness } = {};
  const dispatch = createGatewayDispatch({
    holder,
    log,
    accessLog,
    maxBudgetMs: serverSettings(server.http.port, env).REQUEST_BUDGET_MS,
    draining: () => readiness.current?.phase === 'draining',
  });
  const secure: { server?: Http2SecureServer } = {};
  const running = await startEdgeApp({
    service: 'gateway',
    defaultPort: server.http.port,
    module: GatewayModule,
    env: { ...env, HOST: env['HOST'] ?? server.http.host, BODY_LIMIT_BYTES: env['BODY_LIMIT_BYTES'] ?? String(server.limits.maxBodyBytes) },
    fastify: { serverFactory: gatewayServerFactory(dispatch, { maxHeaderSize: server.limits.maxHeaderBytes, requireHostHeader: false }) } as never,
    readinessHeaders: () => ({ 'x-config-version': holder.version }),
    configure: (app) => {
      const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
      registerGatewayEndpoints(fastify, holder, log);
      // The TLS listener stops accepting together with the plain one.
      fastify.addHook('preClose', (done) => {
        secure.server?.close();
        done();
      });
      fastify.addHook('onClose', async () => {
        await holder.close();
        await Promise.all([state.close(), memoryState.close()]);
      });
    },
  });
  readiness.current = running.readiness;
  running.readiness.addCheck('jwks', jwksReady(holder.current));
  const tls = server.https ? await listenTls(dispatch(running.fastify.routing as never), server.https, env) : undefined;
  secure.server = tls?.server;
  holder.watch();
  log.info({ config: holder.file, version: holder.version, https: tls?.url }, 'gateway config active');
  return { ...running, holder, httpsUrl: tls?.url };
}

/**
 * Ready only once every JWT policy's key store is (JwksKeyStore.ready): keys loaded, or the
 * first fetch and its quick retry both failed. As Envoy's jwt_authn without `fast_listener`, a
 * fresh instance does not take traffic whose tokens would all get 503s while a slow first fetch
 * runs; an IdP that is down cannot keep the data plane out of service (tokens fail closed until
 * it answers, anonymous routes serve). Checked for the config the gateway started with; a
 * reload does not make a running gateway unready.
 */
function jwksReady(runtime: GatewayRuntime): () => boolean {
  const stores = [...runtime.verifiers.values()].map((v) => v.keyStore);
  let ready = stores.length === 0;
  return () => (ready ||= stores.every((s) => s.ready));
}

export { InvalidGatewayConfigError };
