import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Identity } from '@edge/auth/verify';
import type { CompiledGatewayConfig } from '@edge/gateway-config';
import { routingMethod } from '../edge/cors.stage';
import type { Exchange } from '../exchange';
import { FakeResponse } from './fake-response';

export interface TestRequest {
  method?: string;
  /** Path with an optional query: `/api/items?page=2`. */
  url: string;
  headers?: Record<string, string | string[]>;
  clientIp?: string;
  tls?: boolean;
  /** Shorthand for a validated token's identity. */
  user?: { sub: string; tenant?: string; clientId?: string };
  apiKey?: string;
  deadlineMs?: number;
}

let counter = 0;

export function identityOf(user: { sub: string; tenant?: string; clientId?: string }): Identity {
  const identity = { sub: user.sub, tenant: user.tenant, clientId: user.clientId, scopes: new Set<string>(), claims: {}, expiresAt: Date.now() + 60_000 };
  Object.defineProperty(identity, 'token', { value: 'test-token', enumerable: false });
  return identity as unknown as Identity;
}

/**
 * An Exchange as the proxy handler builds it, for a request matched against a compiled
 * config (preflights are matched with their Access-Control-Request-Method, as the handler must).
 */
export function testExchange(config: CompiledGatewayConfig, request: TestRequest): { exchange: Exchange; res: FakeResponse } {
  const method = request.method ?? 'GET';
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(request.headers ?? {})) headers[k.toLowerCase()] = v;
  const [path = '/', query = ''] = request.url.split('?', 2);
  const matchMethod = routingMethod(method, headers);
  const match = config.matcher.match(matchMethod, path, headers);
  if (!match) throw new Error(`no route matches ${matchMethod} ${path}`);
  const res = new FakeResponse();
  const req = { method, url: request.url, headers } as unknown as IncomingMessage;
  const exchange: Exchange = {
    req,
    res: res as unknown as ServerResponse,
    method,
    path,
    query,
    match,
    route: match.route,
    clientIp: request.clientIp ?? '203.0.113.7',
    requestId: `req-${++counter}`,
    trace: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', flags: '01' },
    tls: request.tls ?? false,
    deadline: Date.now() + (request.deadlineMs ?? 5_000),
    identity: request.user ? identityOf(request.user) : undefined,
    apiKey: request.apiKey,
    responseHeaders: [],
    responseFilters: [],
    notes: {},
  };
  return { exchange, res };
}
