import { fetchJson } from './fetch-json';
import { KeysUnavailableError, TokenError } from './token-error';
import { importJwk, keySupportsAlg, type VerificationKey } from './verification-key';

export interface JwksKeyStoreOptions {
  /** Where the keys are. Without it, `issuer` discovery names it (fallback `${issuer}/jwks`). */
  jwksUri?: string;
  issuer?: string;
  /** Bound on one fetch attempt, discovery included. Default 2000. */
  timeoutMs?: number;
  /** Least time between refetches triggered by unknown kids. Default 30000. */
  cooldownMs?: number;
  /** Least time between attempts after a failed one. Default min(5000, cooldownMs). */
  failureCooldownMs?: number;
  /**
   * While no key set was ever loaded, the least time between attempts after a failed one; it
   * doubles with each consecutive failure up to `failureCooldownMs`. Default 250.
   */
  initialRetryMs?: number;
  /** Background refresh period (0 = off). Default 0 here; AuthPolicy defaults it to 10 min. */
  refreshIntervalMs?: number;
  maxBytes?: number;
  onEvent?: (event: JwksEvent) => void;
  now?: () => number;
}

export type JwksEvent =
  | { type: 'fetched'; uri: string; keys: number; ms: number }
  | { type: 'fetch-failed'; uri: string; error: string; ms: number }
  | { type: 'key-ignored'; kid: string | undefined; why: string };

export interface JwksStats {
  keys: number;
  fetches: number;
  failures: number;
  lastSuccessAt: number | undefined;
}

/**
 * The issuer's public keys, cached by kid. Keys are fetched lazily (or by `start()`), an
 * unknown kid triggers at most one refetch per cooldown (random kids cannot cause a fetch
 * storm), concurrent misses share one fetch, and every fetch is bounded by `timeoutMs`.
 * A failed fetch never drops cached keys: with the IdP down, known keys keep working while
 * unknown kids fail closed (`unknown-key`).
 *
 * Until a key set is loaded no token can be judged (every one gets KeysUnavailableError, a
 * 503), so a store that never loaded retries soon (`initialRetryMs`, backing off) instead of
 * after the failure cooldown, and after `start()` it keeps retrying in the background without
 * waiting for a request: a first fetch that timed out while the IdP was busy (an instance
 * restarted under load) costs a fraction of a second, not five seconds of 503s. Envoy's
 * jwt_authn does the same (`failed_refetch_duration`, 1 s).
 */
export class JwksKeyStore {
  private byKid = new Map<string, VerificationKey>();
  private keys: VerificationKey[] = [];
  private inFlight: Promise<void> | undefined;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastAttemptOk = false;
  private resolvedJwksUri: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private started = false;
  private consecutiveFailures = 0;
  private readonly counters = { fetches: 0, failures: 0, lastSuccessAt: undefined as number | undefined };
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly failureCooldownMs: number;
  private readonly initialRetryMs: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: JwksKeyStoreOptions) {
    if (!options.jwksUri && !options.issuer) throw new TypeError('JwksKeyStore needs jwksUri or issuer');
    this.resolvedJwksUri = options.jwksUri;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.failureCooldownMs = options.failureCooldownMs ?? Math.min(5000, this.cooldownMs);
    this.initialRetryMs = Math.min(options.initialRetryMs ?? 250, this.failureCooldownMs);
    this.maxBytes = options.maxBytes ?? 512 * 1024;
    this.now = options.now ?? Date.now;
  }

  /** Fetches once in the background and starts the periodic refresh, if configured. */
  start(): void {
    this.started = true;
    void this.refresh();
    const every = this.options.refreshIntervalMs ?? 0;
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => void this.refresh(), every);
      this.timer.unref();
    }
  }

  close(): void {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = undefined;
    this.retryTimer = undefined;
  }

  /**
   * Whether an instance may take traffic as far as its keys go: a key set is loaded, or the
   * first fetch and its first retry both failed. A slow first fetch holds readiness back (its
   * traffic would only get 503s); an IdP that is down does not (it must not be able to keep the
   * data plane out of service: tokens then get 503 until it answers, and anonymous routes work).
   */
  get ready(): boolean {
    return this.counters.lastSuccessAt !== undefined || this.consecutiveFailures >= 2;
  }

  /**
   * The key for a token header. Resolves from cache when possible; otherwise refetches
   * (if the cooldown allows) and fails closed with TokenError('unknown-key') — or with
   * KeysUnavailableError while no key set was ever loaded (the token cannot be judged).
   */
  async getKey(kid: string | undefined, alg: string): Promise<VerificationKey> {
    const hit = this.lookup(kid, alg);
    if (hit) return hit;
    await this.refreshIfAllowed();
    const fetched = this.lookup(kid, alg);
    if (fetched) return fetched;
    if (this.counters.lastSuccessAt === undefined) throw new KeysUnavailableError();
    throw new TokenError('unknown-key');
  }

  /** Fetches now unless a fetch is already running (then joins it). Never throws. */
  refresh(): Promise<void> {
    return this.inFlight ?? this.startFetch();
  }

  get stats(): JwksStats {
    return { keys: this.keys.length, ...this.counters };
  }

  private lookup(kid: string | undefined, alg: string): VerificationKey | undefined {
    if (kid !== undefined) {
      const key = this.byKid.get(kid);
      if (key && !keySupportsAlg(key, alg)) throw new TokenError('alg-not-allowed');
      return key;
    }
    const candidates = this.keys.filter((k) => keySupportsAlg(k, alg));
    if (candidates.length > 1) throw new TokenError('unknown-key');
    return candidates[0];
  }

  private refreshIfAllowed(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.lastAttemptAt < this.waitAfterLastAttempt()) return Promise.resolve();
    return this.startFetch();
  }

  private waitAfterLastAttempt(): number {
    if (this.lastAttemptOk) return this.cooldownMs;
    if (this.counters.lastSuccessAt !== undefined) return this.failureCooldownMs;
    return Math.min(this.failureCooldownMs, this.initialRetryMs * 2 ** Math.max(0, this.consecutiveFailures - 1));
  }

  /** After `start()`, a store that never loaded tries again on its own (see the class comment). */
  private scheduleRetry(): void {
    if (!this.started || this.retryTimer || this.counters.lastSuccessAt !== undefined) return;
    // The wait is counted from the end of the failed attempt, so the fetch is always due here;
    // it (or a request's fetch already running) schedules the next retry when it fails.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, this.waitAfterLastAttempt());
    this.retryTimer.unref();
  }

  private startFetch(): Promise<void> {
    const started = this.now();
    this.lastAttemptAt = started;
    this.counters.fetches++;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let uri = this.resolvedJwksUri ?? this.discoveryUri();
    const attempt = (async () => {
      uri = await this.jwksUri(signal);
      return this.download(uri, signal);
    })();
    this.inFlight = attempt
      .then(
        (keys) => {
          this.byKid = new Map(keys.flatMap((k) => (k.kid === undefined ? [] : [[k.kid, k] as const])));
          this.keys = keys;
          this.lastAttemptOk = true;
          this.consecutiveFailures = 0;
          this.counters.lastSuccessAt = this.now();
          this.options.onEvent?.({ type: 'fetched', uri, keys: keys.length, ms: this.now() - started });
        },
        (error: unknown) => {
          this.lastAttemptOk = false;
          this.consecutiveFailures++;
          this.counters.failures++;
          const message = signal.aborted ? `timed out after ${this.timeoutMs}ms` : (error as Error).message;
          this.options.onEvent?.({ type: 'fetch-failed', uri, error: message, ms: this.now() - started });
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        this.scheduleRetry();
      });
    return this.inFlight;
  }

  private async jwksUri(signal: AbortSignal): Promise<string> {
    if (this.resolvedJwksUri) return this.resolvedJwksUri;
    const discovery = await fetchJson(this.discoveryUri(), { signal, maxBytes: this.maxBytes });
    if (discovery.status === 200) {
      const named = (discovery.body as { jwks_uri?: unknown } | null)?.jwks_uri;
      if (typeof named !== 'string') throw new Error('discovery document has no jwks_uri');
      this.resolvedJwksUri = named;
    } else if (discovery.status === 404) {
      this.resolvedJwksUri = `${this.issuerBase()}/jwks`;
    } else {
      throw new Error(`discovery answered ${discovery.status}`);
    }
    return this.resolvedJwksUri;
  }

  private issuerBase(): string {
    return (this.options.issuer ?? '').replace(/\/+$/, '');
  }

  private discoveryUri(): string {
    return `${this.issuerBase()}/.well-known/openid-configuration`;
  }

  private async download(uri: string, signal: AbortSignal): Promise<VerificationKey[]> {
    const { status, body } = await fetchJson(uri, { signal, maxBytes: this.maxBytes });
    if (status !== 200) throw new Error(`JWKS answered ${status}`);
    const list = (body as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new Error('JWKS has no keys array');
    const keys: VerificationKey[] = [];
    for (const jwk of list) {
      const imported = importJwk(jwk);
      if (typeof imported === 'string') {
        const kid = (jwk as { kid?: unknown } | null)?.kid;
        this.options.onEvent?.({ type: 'key-ignored', kid: typeof kid === 'string' ? kid : undefined, why: imported });
      } else {
        keys.push(imported);
      }
    }
    // An empty set is a broken IdP, not a revocation of every key: keep what we have.
    if (keys.length === 0) throw new Error('JWKS holds no usable signing key');
    return keys;
  }
}
