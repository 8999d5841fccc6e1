import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { problem, type ProblemException } from '@edge/problem-details';
import { untilAborted } from '@edge/observability';
import { ExchangedTokenCache } from './exchanged-token.cache';
import { downstreamTokenRequests, type DownstreamTokenResult } from './downstream-token.metrics';
import { resolveDownstreamTokenOptions, type DownstreamTokenOptions, type ResolvedDownstreamTokenOptions, type ResolvedPolicy } from './downstream-token.options';
import { TokenExchangeClient, TokenExchangeError } from './token-exchange.client';

/** Who a downstream token is for: an Identity (its non-enumerable `token`), a raw token, or nobody. */
export type TokenSubject = string | { readonly token?: string } | object | undefined;

/** The raw access token of an Identity (non-enumerable, so logs and JSON never carry it). */
export function tokenOf(subject: TokenSubject): string | undefined {
  if (typeof subject === 'string') return subject.length > 0 ? subject : undefined;
  if (typeof subject !== 'object' || subject === null) return undefined;
  const token = (subject as { token?: unknown }).token;
  return typeof token === 'string' && token.length > 0 ? token : undefined;
}

export interface TokenForOptions {
  /** The caller stops waiting when this aborts (the exchange itself goes on for others). */
  signal?: AbortSignal;
}

type ExchangePolicy = Extract<ResolvedPolicy, { mode: 'exchange' }>;

const logger = new Logger('DownstreamTokens');

/**
 * Downstream tokens per dependency, by policy: `forward` hands on the caller's token;
 * `exchange` trades it at the IdP (RFC 8693) for the dependency's audience with narrowed
 * scopes. Exchanged tokens are cached until shortly before they expire, keyed by a digest
 * of (subject token, target, scopes) — never shared between callers — in a bounded LRU;
 * concurrent requests for the same key share one exchange (single flight).
 *
 * Failures are problems: IdP unreachable → 503 `dependency-unavailable`; the caller's token
 * refused → 401 `invalid-token`; scopes refused → 403 `insufficient-scope`; this client
 * refused (misconfiguration) → 502 `bad-gateway`. Tokens never reach logs or messages.
 */
export class DownstreamTokenProvider {
  readonly options: ResolvedDownstreamTokenOptions;
  private readonly cache: ExchangedTokenCache;
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly clients = new Map<string, TokenExchangeClient>();
  private readonly now: () => number;

  constructor(options: DownstreamTokenOptions, internals: { now?: () => number } = {}) {
    this.options = resolveDownstreamTokenOptions(options);
    this.now = internals.now ?? Date.now;
    this.cache = new ExchangedTokenCache(this.options.cache.maxEntries, this.now);
    for (const policy of this.options.dependencies.values()) {
      if (policy.mode !== 'exchange') continue;
      const c = policy.client;
      const key = `${c.issuer ?? ''}\n${c.tokenEndpoint ?? ''}\n${c.clientId}\n${c.clientSecret}\n${c.timeoutMs}`;
      if (!this.clients.has(key)) this.clients.set(key, new TokenExchangeClient(c));
    }
  }

  has(dependency: string): boolean {
    return this.options.dependencies.has(dependency);
  }

  /** The dependency's policy; an unknown name is a programming error (thrown, not a problem). */
  policyOf(dependency: string): ResolvedPolicy {
    const policy = this.options.dependencies.get(dependency);
    if (policy === undefined) throw new Error(`no downstream token policy for dependency "${dependency}" (known: ${[...this.options.dependencies.keys()].join(', ')})`);
    return policy;
  }

  /** The token to present to `dependency` on behalf of `subject`; undefined when there is no caller token (anonymous). */
  async tokenFor(dependency: string, subject: TokenSubject, options: TokenForOptions = {}): Promise<string | undefined> {
    const policy = this.policyOf(dependency);
    const subjectToken = tokenOf(subject);
    if (subjectToken === undefined) {
      downstreamTokenRequests.inc({ dependency, result: 'anonymous' });
      return undefined;
    }
    if (policy.mode === 'forward') {
      downstreamTokenRequests.inc({ dependency, result: 'forwarded' });
      return subjectToken;
    }
    return this.exchanged(dependency, policy, subjectToken, options.signal);
  }

  /** `Bearer …` for an http-client `authorize` hook, or undefined for anonymous calls. */
  async authorizationFor(dependency: string, subject: TokenSubject, options: TokenForOptions = {}): Promise<string | undefined> {
    const token = await this.tokenFor(dependency, subject, options);
    return token === undefined ? undefined : `Bearer ${token}`;
  }

  /**
   * Looks up every client's token endpoint now (issuer discovery) instead of on the first
   * exchange. Best effort: a failure is logged and the first exchange tries again.
   */
  async prepare(): Promise<void> {
    await Promise.all(
      [...this.clients.values()].map((client) =>
        client.prepare().catch((error: unknown) => logger.warn({ err: error }, `token endpoint discovery failed (the first exchange will retry): ${(error as Error).message}`)),
      ),
    );
  }

  get cacheSize(): number {
    return this.cache.size;
  }

  /** Forgets every cached token (tests; key rotation at the IdP). */
  clear(): void {
    this.cache.clear();
  }

  private async exchanged(dependency: string, policy: ExchangePolicy, subjectToken: string, signal: AbortSignal | undefined): Promise<string> {
    const key = createHash('sha256').update(subjectToken).update('\0').update(policy.target).digest('base64url');
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      downstreamTokenRequests.inc({ dependency, result: 'cache-hit' });
      return cached;
    }
    let flight = this.inFlight.get(key);
    let result: DownstreamTokenResult = 'coalesced';
    if (flight === undefined) {
      result = 'exchanged';
      flight = this.runExchange(key, policy, subjectToken).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    try {
      const token = await waitFor(flight, signal);
      downstreamTokenRequests.inc({ dependency, result });
      return token;
    } catch (error) {
      downstreamTokenRequests.inc({ dependency, result: 'failed' });
      throw toProblem(error, dependency, policy);
    }
  }

  private async runExchange(key: string, policy: ExchangePolicy, subjectToken: string): Promise<string> {
    const client = this.clientFor(policy);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), client.timeoutMs);
    const started = this.now();
    try {
      const exchanged = await client.exchange({ subjectToken, resource: policy.resource, audience: policy.audience, scopes: policy.scopes }, controller.signal);
      const margin = Math.min(this.options.cache.refreshMarginMs, exchanged.lifetimeMs * this.options.cache.refreshRatio);
      // Counted from before the request: the IdP's clock started no later than that.
      this.cache.set(key, exchanged.accessToken, started + exchanged.lifetimeMs - margin);
      return exchanged.accessToken;
    } finally {
      clearTimeout(timer);
    }
  }

  private clientFor(policy: ExchangePolicy): TokenExchangeClient {
    const c = policy.client;
    return this.clients.get(`${c.issuer ?? ''}\n${c.tokenEndpoint ?? ''}\n${c.clientId}\n${c.clientSecret}\n${c.timeoutMs}`) as TokenExchangeClient;
  }
}

class WaitAborted extends Error {
  constructor(cause: unknown) {
    super('stopped waiting for a downstream token', { cause });
    this.name = 'WaitAborted';
  }
}

/** Waits for a shared flight, but lets this caller leave early when its own signal aborts. */
function waitFor<T>(flight: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return flight;
  return untilAborted(flight, signal).catch((error: unknown) => {
    throw signal.aborted && error === signal.reason ? new WaitAborted(signal.reason) : error;
  });
}

function toProblem(error: unknown, dependency: string, policy: ExchangePolicy): ProblemException | unknown {
  if (error instanceof WaitAborted) {
    return problem('gateway-timeout', { detail: 'The request deadline passed while obtaining a token for a dependency.', cause: error });
  }
  if (!(error instanceof TokenExchangeError)) return error;
  const event = { dependency, kind: error.kind, oauthError: error.oauthError, err: error.cause ?? error };
  switch (error.kind) {
    case 'unavailable':
      logger.warn(event, `token exchange for ${dependency} failed: ${error.message}`);
      return problem('dependency-unavailable', {
        detail: 'The identity provider could not issue a token for a dependency of this request.',
        headers: { 'retry-after': '1' },
        cause: error,
      });
    case 'subject-rejected': {
      logger.debug(event, `token exchange for ${dependency} refused: ${error.message}`);
      const description = 'The access token is not accepted for the services behind this API.';
      return problem('invalid-token', {
        detail: description,
        headers: { 'www-authenticate': `Bearer error="invalid_token", error_description="${description}"` },
        cause: error,
      });
    }
    case 'scope-refused': {
      logger.debug(event, `token exchange for ${dependency} refused: ${error.message}`);
      const scope = policy.scopes.join(' ');
      return problem('insufficient-scope', {
        detail: scope ? `This request needs the scope(s): ${scope}.` : 'The access token holds no scope the services behind this API accept.',
        headers: { 'www-authenticate': `Bearer error="insufficient_scope"${scope ? `, scope="${scope}"` : ''}` },
        cause: error,
      });
    }
    case 'misconfigured':
      logger.error(event, `token exchange for ${dependency} refused this client: ${error.message}`);
      return problem('bad-gateway', { cause: error });
    default: {
      const never: never = error.kind;
      return never;
    }
  }
}
