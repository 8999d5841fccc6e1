import { Writable } from 'node:stream';
import type { CompiledAggregatePart } from '@edge/gateway-config';
import { commitHead, type Exchange } from '@edge/gateway-policies';
import { ProxyError, proxyErrorToProblem, type ClusterRuntime } from '@edge/gateway-proxy';
import { childTraceparent, REQUEST_TIMEOUT_HEADER } from '@edge/observability';
import { problem, ProblemException } from '@edge/problem-details';
import type { GatewayRuntime } from './gateway-runtime';
import { DownstreamTokenProvider } from '@edge/auth/verify';
import type { CompiledGatewayConfig } from '@edge/gateway-config';

/** Exchanges the caller's token for a part's audience (RFC 8693); absent → exchange parts fail. */
export type PartTokenExchange = (subjectToken: string, audience: string, scopes: readonly string[]) => Promise<string>;

export interface AggregatorDeps {
  /** Fixed exchanger (tests); by default one is built per config version from `server.tokenExchange`. */
  exchangeToken?: PartTokenExchange;
  env?: Record<string, string | undefined>;
  /** Largest part body collected (bounded fan-in). */
  maxPartBytes?: number;
  now?: () => number;
}

type PartOutcome = { kind: 'ok'; value: unknown } | { kind: 'failed'; error: ProblemException };

interface StaleEntry {
  value: unknown;
  at: number;
}

const MAX_STALE_ENTRIES = 10_000;

class PartFailure extends Error {
  constructor(readonly problem: ProblemException) {
    super(problem.message);
  }
}

/**
 * Declarative aggregation for stable shared screens (KrakenD/lura's model): parts run in
 * parallel, each inside its own deadline within the route's budget; required parts fail
 * the request with their problem, optional ones are dropped with a warning, stale-allowed
 * ones fall back to their last good value (per caller) with a warning. Partial responses
 * follow DESIGN.md §4: 200, `warnings`, `Partial-Response: true`, never cached.
 */
export function createAggregator(deps: AggregatorDeps = {}) {
  const maxPartBytes = deps.maxPartBytes ?? 1_048_576;
  const now = deps.now ?? Date.now;
  const stale = new Map<string, StaleEntry>();

  const remember = (key: string, value: unknown) => {
    stale.delete(key);
    stale.set(key, { value, at: now() });
    if (stale.size > MAX_STALE_ENTRIES) stale.delete(stale.keys().next().value as string);
  };

  async function authorization(exchange: Exchange, part: CompiledAggregatePart, exchangeToken: PartTokenExchange | undefined): Promise<string | undefined> {
    const token = exchange.identity?.token;
    switch (part.token.mode) {
      case 'none':
        return undefined;
      case 'forward':
        return token ? `Bearer ${token}` : undefined;
      case 'exchange': {
        if (!token) return undefined;
        if (!exchangeToken) throw new PartFailure(problem('dependency-unavailable', { detail: 'token exchange is not configured' }));
        try {
          return `Bearer ${await exchangeToken(token, part.token.audience, part.token.scopes)}`;
        } catch (error) {
          throw new PartFailure(error instanceof ProblemException ? error : problem('dependency-unavailable', { cause: error }));
        }
      }
      default: {
        const never: never = part.token;
        throw new Error(`unknown token mode ${String(never)}`);
      }
    }
  }

  async function fetchPart(exchange: Exchange, part: CompiledAggregatePart, cluster: ClusterRuntime, exchangeToken: PartTokenExchange | undefined): Promise<unknown> {
    const deadline = Math.min(exchange.deadline, now() + part.deadlineMs);
    const params = new URLSearchParams(exchange.query);
    const path = part.renderPath({ identity: exchange.identity ? { sub: exchange.identity.sub, tenant: exchange.identity.tenant } : null, query: (name) => params.get(name) });
    const headers = ['accept', 'application/json', 'x-request-id', exchange.requestId, 'traceparent', childTraceparent(exchange.trace), REQUEST_TIMEOUT_HEADER, String(Math.max(0, deadline - now()))];
    const auth = await authorization(exchange, part, exchangeToken);
    if (auth) headers.push('authorization', auth);
    const chunks: Buffer[] = [];
    let size = 0;
    let status = 0;
    let contentType = '';
    try {
      await cluster.forward({
        method: 'GET',
        path,
        headers,
        body: null,
        retryable: true,
        maxAttempts: part.maxAttempts,
        deadline,
        client: exchange.res, // a client that goes away cancels the parts
        respond: (s, h) => {
          status = s;
          contentType = String(h['content-type'] ?? '');
          return new Writable({
            write(chunk: Buffer, _encoding, callback) {
              size += chunk.length;
              if (size > maxPartBytes) callback(new ProxyError('protocol', 'part response too large'));
              else {
                chunks.push(chunk);
                callback();
              }
            },
          });
        },
      });
    } catch (error) {
      throw new PartFailure(error instanceof ProxyError ? proxyErrorToProblem(error) : problem('bad-gateway', { cause: error }));
    }
    if (status === 504) throw new PartFailure(problem('gateway-timeout', { detail: `part ${part.key} timed out upstream` }));
    if (status === 503) throw new PartFailure(problem('upstream-unavailable', { detail: `part ${part.key} is unavailable`, headers: { 'retry-after': '5' } }));
    if (status < 200 || status >= 300) throw new PartFailure(problem('bad-gateway', { detail: `part ${part.key} answered ${status}` }));
    if (!/json/i.test(contentType)) throw new PartFailure(problem('bad-gateway', { detail: `part ${part.key} did not answer JSON` }));
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new PartFailure(problem('bad-gateway', { detail: `part ${part.key} answered malformed JSON`, cause: error }));
    }
  }

  return (runtime: GatewayRuntime) => {
    const exchangeToken = deps.exchangeToken ?? partTokenExchange(runtime.config, deps.env ?? process.env);
    return async function aggregate(exchange: Exchange): Promise<void> {
      const target = exchange.route.target;
      if (target.kind !== 'aggregate') throw problem('internal', { detail: 'not a composite route' });
      const callerKey = `${exchange.route.id}|${exchange.identity?.tenant ?? ''}|${exchange.identity?.sub ?? ''}|${exchange.query}`;
      const settled = await Promise.allSettled(target.parts.map((part) => fetchPart(exchange, part, runtime.clusters.get(part.cluster.id) as ClusterRuntime, exchangeToken)));
      const body: Record<string, unknown> = {};
      const warnings: Record<string, unknown>[] = [];
      settled.forEach((result, i) => {
        const part = target.parts[i] as CompiledAggregatePart;
        const staleKey = `${callerKey}|${part.key}`;
        const outcome: PartOutcome =
          result.status === 'fulfilled'
            ? { kind: 'ok', value: result.value }
            : { kind: 'failed', error: result.reason instanceof PartFailure ? result.reason.problem : problem('bad-gateway', { cause: result.reason }) };
        switch (outcome.kind) {
          case 'ok':
            body[part.key] = outcome.value;
            if (part.policy === 'stale-allowed') remember(staleKey, outcome.value);
            return;
          case 'failed': {
            if (part.policy === 'required') throw outcome.error;
            const last = part.policy === 'stale-allowed' ? stale.get(staleKey) : undefined;
            if (last && now() - last.at <= part.maxStaleMs) {
              body[part.key] = last.value;
              warnings.push({ code: `${part.key}-unavailable`, part: part.key, detail: 'served from the last good value', stale: true, ageMs: now() - last.at });
            } else {
              warnings.push({ code: `${part.key}-unavailable`, part: part.key, detail: outcome.error.detail ?? outcome.error.message });
            }
            return;
          }
          default: {
            const never: never = outcome;
            throw new Error(`unknown outcome ${String(never)}`);
          }
        }
      });
      const partial = warnings.length > 0;
      if (partial) body['warnings'] = warnings;
      const payload = Buffer.from(JSON.stringify(body));
      const headers: Record<string, string | string[]> = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length) };
      if (partial) {
        headers['partial-response'] = 'true';
        headers['cache-control'] = 'no-store';
      } else headers['cache-control'] = exchange.identity ? 'private, no-cache' : 'no-cache';
      const sink = commitHead(exchange, { status: 200, headers });
      sink.end(exchange.method === 'HEAD' ? undefined : payload);
    };
  };
}

/**
 * The exchanger of one config version: one DownstreamTokenProvider (cache per caller, single
 * flight) over every audience/scopes pair the composite routes ask for.
 */
function partTokenExchange(config: CompiledGatewayConfig, env: Record<string, string | undefined>): PartTokenExchange | undefined {
  const settings = config.server.tokenExchange;
  const secret = settings ? env[settings.clientSecretEnv] : undefined;
  if (!settings || !secret) return undefined;
  const dependencies: Record<string, { mode: 'exchange'; audience: string; scopes: readonly string[] }> = {};
  const keyOf = (audience: string, scopes: readonly string[]) => `${audience}|${[...scopes].sort().join(' ')}`;
  for (const route of config.routes) {
    if (route.target.kind !== 'aggregate') continue;
    for (const part of route.target.parts) {
      if (part.token.mode === 'exchange') dependencies[keyOf(part.token.audience, part.token.scopes)] = { mode: 'exchange', audience: part.token.audience, scopes: part.token.scopes };
    }
  }
  if (Object.keys(dependencies).length === 0) return undefined;
  const provider = new DownstreamTokenProvider({ client: { tokenEndpoint: settings.tokenEndpoint, clientId: settings.clientId, clientSecret: secret }, dependencies });
  return async (subjectToken, audience, scopes) => {
    const token = await provider.tokenFor(keyOf(audience, scopes), subjectToken);
    if (!token) throw problem('dependency-unavailable', { detail: 'no token for the part' });
    return token;
  };
}
