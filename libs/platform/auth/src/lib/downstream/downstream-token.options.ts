import { ConfigError, type ConfigProblem } from '@edge/config';

/** How this service authenticates at the IdP's token endpoint (client_secret_basic). */
export interface ExchangeClientSettings {
  /** Discovery (`/.well-known/openid-configuration`) names the token endpoint, unless `tokenEndpoint` is given. */
  issuer?: string;
  tokenEndpoint?: string;
  clientId: string;
  clientSecret: string;
  /** Bound on one exchange (discovery included). Default 2000. */
  timeoutMs?: number;
}

/** Send the caller's own token as it is (the dependency accepts the caller's audience). */
export interface ForwardPolicy {
  mode: 'forward';
}

/** Exchange the caller's token (RFC 8693) for one audience, with narrowed scopes. */
export interface ExchangePolicy {
  mode: 'exchange';
  /** Resource indicator (RFC 8707), e.g. `urn:orders-api`. One of resource/audience is required. */
  resource?: string;
  /** Audience name, e.g. `orders-api`. */
  audience?: string;
  /** Scopes asked for; empty or absent → whatever the IdP grants for the target. */
  scopes?: readonly string[];
  /** Overrides of the shared `client` settings for this dependency. */
  client?: Partial<ExchangeClientSettings>;
}

export type DownstreamTokenPolicy = ForwardPolicy | ExchangePolicy;

export interface ExchangedTokenCacheSettings {
  /** Bounded LRU of exchanged tokens. Default 10000. */
  maxEntries?: number;
  /** A token is refreshed this long before it expires… Default 30000. */
  refreshMarginMs?: number;
  /** …or this fraction of its lifetime, whichever is smaller (short-lived tokens stay cacheable). Default 0.1. */
  refreshRatio?: number;
}

export interface DownstreamTokenOptions {
  /** Shared client settings for every `exchange` policy (each may override fields). */
  client?: ExchangeClientSettings;
  /** One policy per dependency name (the http-client names: `orders`, `catalog`…). */
  dependencies: Readonly<Record<string, DownstreamTokenPolicy>>;
  cache?: ExchangedTokenCacheSettings;
}

export interface ResolvedExchangeClient {
  readonly issuer: string | undefined;
  readonly tokenEndpoint: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly timeoutMs: number;
}

export type ResolvedPolicy =
  | { readonly mode: 'forward' }
  | {
      readonly mode: 'exchange';
      readonly resource: string | undefined;
      readonly audience: string | undefined;
      readonly scopes: readonly string[];
      /** What the cache keys on besides the subject token: target and scopes. */
      readonly target: string;
      readonly client: ResolvedExchangeClient;
    };

export interface ResolvedDownstreamTokenOptions {
  readonly dependencies: ReadonlyMap<string, ResolvedPolicy>;
  readonly cache: Readonly<Required<ExchangedTokenCacheSettings>>;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const POLICY_KEYS = new Set(['mode', 'resource', 'audience', 'scopes', 'client']);
const CLIENT_KEYS = new Set(['issuer', 'tokenEndpoint', 'clientId', 'clientSecret', 'timeoutMs']);
const CACHE_KEYS = new Set(['maxEntries', 'refreshMarginMs', 'refreshRatio']);

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

function unknownKeys(label: string, given: object | undefined, known: ReadonlySet<string>, problems: ConfigProblem[]): void {
  for (const key of Object.keys(given ?? {})) {
    if (!known.has(key)) problems.push({ key: `${label}.${key}`, message: `is not an option (known: ${[...known].join(', ')})` });
  }
}

function resolveClient(label: string, shared: ExchangeClientSettings | undefined, own: Partial<ExchangeClientSettings> | undefined, problems: ConfigProblem[]): ResolvedExchangeClient {
  unknownKeys(`${label}.client`, own, CLIENT_KEYS, problems);
  const merged = { ...shared, ...own };
  const { issuer, tokenEndpoint, clientId, clientSecret } = merged;
  const timeoutMs = merged.timeoutMs ?? 2_000;
  if (issuer === undefined && tokenEndpoint === undefined) problems.push({ key: `${label}.client`, message: 'needs issuer (discovery) or tokenEndpoint' });
  if (issuer !== undefined && !isHttpUrl(issuer)) problems.push({ key: `${label}.client.issuer`, message: 'must be an http(s) URL without credentials' });
  if (tokenEndpoint !== undefined && !isHttpUrl(tokenEndpoint)) problems.push({ key: `${label}.client.tokenEndpoint`, message: 'must be an http(s) URL without credentials' });
  if (typeof clientId !== 'string' || clientId.length === 0) problems.push({ key: `${label}.client.clientId`, message: 'is required' });
  if (typeof clientSecret !== 'string' || clientSecret.length === 0) problems.push({ key: `${label}.client.clientSecret`, message: 'is required' });
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) problems.push({ key: `${label}.client.timeoutMs`, message: 'must be a positive integer (ms)' });
  return Object.freeze({ issuer, tokenEndpoint, clientId: clientId ?? '', clientSecret: clientSecret ?? '', timeoutMs });
}

function resolvePolicy(name: string, policy: DownstreamTokenPolicy, shared: ExchangeClientSettings | undefined, problems: ConfigProblem[]): ResolvedPolicy | undefined {
  const label = `dependencies.${name}`;
  if (typeof policy !== 'object' || policy === null) {
    problems.push({ key: label, message: "must be { mode: 'forward' } or { mode: 'exchange', … }" });
    return undefined;
  }
  unknownKeys(label, policy, POLICY_KEYS, problems);
  if (policy.mode === 'forward') {
    for (const key of ['resource', 'audience', 'scopes', 'client']) {
      if (key in policy) problems.push({ key: `${label}.${key}`, message: 'only applies to exchange policies' });
    }
    return { mode: 'forward' };
  }
  if (policy.mode !== 'exchange') {
    problems.push({ key: `${label}.mode`, message: `must be 'forward' or 'exchange' (got ${String((policy as { mode?: unknown }).mode)})` });
    return undefined;
  }
  const { resource, audience } = policy;
  if (resource === undefined && audience === undefined) problems.push({ key: label, message: 'needs resource (e.g. urn:orders-api) or audience' });
  if (resource !== undefined && (typeof resource !== 'string' || resource.length === 0)) problems.push({ key: `${label}.resource`, message: 'must be a non-empty string' });
  if (audience !== undefined && (typeof audience !== 'string' || audience.length === 0)) problems.push({ key: `${label}.audience`, message: 'must be a non-empty string' });
  const scopes = [...new Set(policy.scopes ?? [])].sort();
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) problems.push({ key: `${label}.scopes`, message: `${JSON.stringify(scope)} is not a scope token` });
  }
  const client = resolveClient(label, shared, policy.client, problems);
  const target = `${resource ?? ''}\n${audience ?? ''}\n${scopes.join(' ')}`;
  return Object.freeze({ mode: 'exchange', resource, audience, scopes: Object.freeze(scopes), target, client });
}

/** Checks every policy and reports all problems at once (ConfigError), then freezes. */
export function resolveDownstreamTokenOptions(options: DownstreamTokenOptions): ResolvedDownstreamTokenOptions {
  const problems: ConfigProblem[] = [];
  unknownKeys('options', options, new Set(['client', 'dependencies', 'cache']), problems);
  const dependencies = new Map<string, ResolvedPolicy>();
  const entries = Object.entries(options.dependencies ?? {});
  if (entries.length === 0) problems.push({ key: 'dependencies', message: 'name at least one dependency' });
  for (const [name, policy] of entries) {
    const resolved = resolvePolicy(name, policy, options.client, problems);
    if (resolved) dependencies.set(name, resolved);
  }
  unknownKeys('cache', options.cache, CACHE_KEYS, problems);
  const cache = { maxEntries: 10_000, refreshMarginMs: 30_000, refreshRatio: 0.1, ...options.cache };
  if (!Number.isInteger(cache.maxEntries) || cache.maxEntries < 1) problems.push({ key: 'cache.maxEntries', message: 'must be a positive integer' });
  if (!Number.isInteger(cache.refreshMarginMs) || cache.refreshMarginMs < 0) problems.push({ key: 'cache.refreshMarginMs', message: 'must be a non-negative integer (ms)' });
  if (!(cache.refreshRatio >= 0 && cache.refreshRatio < 1)) problems.push({ key: 'cache.refreshRatio', message: 'must be in [0, 1)' });
  if (problems.length > 0) throw new ConfigError('downstream token policies', problems);
  return Object.freeze({ dependencies, cache: Object.freeze(cache) });
}
