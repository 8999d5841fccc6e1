import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { openRequestContext, requestIdFrom, runWithRequestContext } from '@edge/observability';
import type { AccessLog } from './access-log';
import type { ConfigHolder } from './config-holder';
import { createProxyHandler } from './proxy-handler';

export interface ProxyServerDeps {
  holder: ConfigHolder;
  log: Logger;
  accessLog: AccessLog;
  /** The longest an inbound request may take (a caller may ask for less). */
  maxBudgetMs: number;
  /** True while the app drains: proxied responses then ask clients to reconnect elsewhere. */
  draining: () => boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The gateway's request dispatch. Its own endpoints (health, metrics, portal, admin) go to
 * Fastify/Nest; every other request goes straight to the proxy handler, without Fastify's
 * router, hooks or request objects — measured as a third of the gateway's CPU per request.
 * The proxy path opens its own request context (ids, trace, deadline, abort signal).
 */
export function createGatewayDispatch(deps: ProxyServerDeps) {
  const handle = createProxyHandler({ holder: deps.holder, log: deps.log, accessLog: deps.accessLog });
  return (fastifyRouting: Handler): Handler =>
    (req, res) => {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      if (deps.holder.current.isOwnPath(q < 0 ? url : url.slice(0, q))) {
        fastifyRouting(req, res);
        return;
      }
      if (deps.draining()) res.setHeader('connection', 'close');
      const context = openRequestContext(req.headers, res, requestIdFrom(req.headers['x-request-id']), deps.maxBudgetMs);
      runWithRequestContext(context, () => void handle(req, res, context));
    };
}

/** A Fastify `serverFactory` whose server dispatches through the gateway first. */
export function gatewayServerFactory(dispatch: (routing: Handler) => Handler, serverOptions: ServerOptions) {
  return (fastifyHandler: Handler): Server => createServer(serverOptions, dispatch(fastifyHandler));
}
