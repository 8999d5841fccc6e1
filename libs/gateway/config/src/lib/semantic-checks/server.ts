import { DEFAULTS } from '../defaults';
import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asString, isRecord } from './config-view';

/** Listener and gateway-owned paths: TLS needs cert and key, listeners and built-in paths do not collide. */
export function checkServer(config: GatewayConfigFile, problems: ProblemList): void {
  const server = isRecord(config.server) ? config.server : {};
  if (isRecord(server.https)) {
    const cert = asString(server.https.cert) ?? '';
    const key = asString(server.https.key) ?? '';
    if ((cert === '') !== (key === '')) problems.add(['server', 'https', cert === '' ? 'cert' : 'key'], 'TLS needs both cert and key (or neither, to keep https off)');
    const httpPort = isRecord(server.http) && typeof server.http.port === 'number' ? server.http.port : DEFAULTS.server.http.port;
    const httpsPort = typeof server.https.port === 'number' ? server.https.port : DEFAULTS.server.https.port;
    if (cert !== '' && key !== '' && httpPort === httpsPort && httpPort !== 0) problems.add(['server', 'https', 'port'], `the http listener already uses port ${httpPort}`);
  }
  if (isRecord(config.openapi)) {
    const path = asString(config.openapi.path) ?? DEFAULTS.openapi.path;
    const docs = asString(config.openapi.docsPath) ?? DEFAULTS.openapi.docsPath;
    if (path === docs) problems.add(['openapi', 'docsPath'], `must differ from openapi.path (${path})`);
    const admin = isRecord(server.admin) ? (asString(server.admin.basePath) ?? DEFAULTS.server.admin.basePath) : undefined;
    for (const [key, value] of [['path', path], ['docsPath', docs]] as const) {
      if (admin !== undefined && (value === admin || value.startsWith(`${admin}/`))) problems.add(['openapi', key], `lies under the admin base path ${admin}`);
    }
  }
}
