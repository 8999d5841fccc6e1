// The apps of the dev stack, in start order, with their default ports (DESIGN.md §3) and the
// environment variable that overrides each port. Shared by `npm start` and its tests.
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

export const stackApps = [
  { name: 'dev-idp', portVar: 'DEV_IDP_PORT', port: 4000 },
  { name: 'demo-catalog', portVar: 'DEMO_CATALOG_PORT', port: 4101 },
  { name: 'demo-orders', portVar: 'DEMO_ORDERS_PORT', port: 4102 },
  { name: 'demo-customers', portVar: 'DEMO_CUSTOMERS_PORT', port: 4103 },
  { name: 'demo-recommendations', portVar: 'DEMO_RECOMMENDATIONS_PORT', port: 4104 },
  { name: 'bff-web', portVar: 'BFF_WEB_PORT', port: 3001 },
  { name: 'bff-mobile', portVar: 'BFF_MOBILE_PORT', port: 3002 },
  { name: 'bff-partner', portVar: 'BFF_PARTNER_PORT', port: 3003 },
  { name: 'gateway', portVar: 'GATEWAY_PORT', port: 8080 },
];

/**
 * The apps that exist in this checkout (the stack grows as apps land), or the subset named
 * in STACK_APPS (comma-separated), e.g. `STACK_APPS=dev-idp,demo-orders npm start`.
 */
export function presentApps(env = process.env) {
  const wanted = env.STACK_APPS ? new Set(env.STACK_APPS.split(',').map((s) => s.trim())) : undefined;
  return stackApps.filter((a) => (!wanted || wanted.has(a.name)) && fs.existsSync(path.join(root, 'apps', a.name, 'project.json')));
}

const heap = JSON.parse(fs.readFileSync(path.join(root, 'docker/node-heap.json'), 'utf8'));

/** Node flags sizing an app's V8 heap, as its image does (docker/node-heap.json). */
export function heapFlags(app) {
  const old = heap.oldSpaceMb[app];
  const growing = heap.heapGrowingPercent?.[app];
  const semi = heap.semiSpaceMbFor?.[app] ?? heap.semiSpaceMb;
  const reducer = heap.memoryReducer?.[app] === false ? ['--no-memory-reducer'] : [];
  return [...(old ? [`--max-semi-space-size=${semi}`, `--max-old-space-size=${old}`] : []), ...(growing ? [`--heap-growing-percent=${growing}`] : []), ...reducer];
}

/** Ports after environment overrides, and the URLs every app uses to find the others. */
export function stackEnvironment(env = process.env) {
  const ports = Object.fromEntries(stackApps.map((a) => [a.name, Number(env[a.portVar] ?? a.port)]));
  const local = (name) => `http://127.0.0.1:${ports[name]}`;
  return {
    ports,
    shared: {
      NODE_ENV: env.NODE_ENV ?? 'development',
      OIDC_ISSUER: env.OIDC_ISSUER ?? `http://localhost:${ports['dev-idp']}`,
      CATALOG_URL: local('demo-catalog'),
      ORDERS_URL: local('demo-orders'),
      CUSTOMERS_URL: local('demo-customers'),
      RECOMMENDATIONS_URL: local('demo-recommendations'),
      BFF_WEB_URL: local('bff-web'),
      BFF_MOBILE_URL: local('bff-mobile'),
      BFF_PARTNER_URL: local('bff-partner'),
      GATEWAY_URL: `http://localhost:${ports.gateway}`,
      FAULTS_ENABLED: env.FAULTS_ENABLED ?? 'true',
      // bff-web is reached through the gateway and directly: both origins may post, and
      // dev-idp must accept both callbacks, whatever the ports are.
      WEB_ALLOWED_ORIGINS: env.WEB_ALLOWED_ORIGINS ?? `http://localhost:${ports.gateway},http://localhost:${ports['bff-web']}`,
      BFF_WEB_REDIRECT_URIS: env.BFF_WEB_REDIRECT_URIS ?? `http://localhost:${ports.gateway}/web/callback,http://localhost:${ports['bff-web']}/web/callback`,
      BFF_WEB_POST_LOGOUT_URIS: env.BFF_WEB_POST_LOGOUT_URIS ?? `http://localhost:${ports.gateway}/web/,http://localhost:${ports['bff-web']}/web/`,
      BFF_WEB_BACKCHANNEL_LOGOUT_URI: env.BFF_WEB_BACKCHANNEL_LOGOUT_URI ?? `http://localhost:${ports['bff-web']}/web/backchannel-logout`,
      // dev-idp's 'gateway' client: composite routes exchange tokens per part audience.
      GATEWAY_CLIENT_SECRET: env.GATEWAY_CLIENT_SECRET ?? 'gateway-secret',
      SHUTDOWN_DRAIN_DELAY_MS: env.SHUTDOWN_DRAIN_DELAY_MS ?? '0',
      LOG_LEVEL: env.LOG_LEVEL ?? 'info',
      // As in the images: few glibc malloc arenas, so native memory does not fragment per thread.
      MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '2',
    },
  };
}
