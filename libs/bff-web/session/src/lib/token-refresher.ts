import { untilAborted } from '@edge/observability';
import { RefreshRejectedError, RefreshUnavailableError, SessionEndedError } from './session-errors';
import { sessionRefreshes } from './session.metrics';
import type { LoadedSession, SessionStore } from './session-store';
import type { SessionTokens, WebSession } from './web-session';

/** Trades a refresh token for new tokens; throws RefreshRejectedError when the IdP refuses for good. */
export type RefreshTokens = (refreshToken: string, signal: AbortSignal) => Promise<SessionTokens>;

export interface TokenRefresherOptions {
  /** Refresh this long before the access token expires… (default 30 s) */
  marginMs?: number;
  /** …or this fraction of its lifetime, whichever is smaller (short-lived tokens). Default 0.5. */
  marginRatio?: number;
  /** A token with less than this left is not handed out any more (default 1 s). */
  minRemainingMs?: number;
  /** One refresh call at the IdP may take this long (must stay well below the store's lease). Default 5 s. */
  refreshTimeoutMs?: number;
  /** How long requests wait for a refresh running on another instance. Default 10 s. */
  waitTimeoutMs?: number;
  /** How often a waiting instance looks at the shared record. Default 25 ms. */
  pollMs?: number;
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Keeps a session's access token fresh, refreshing shortly before it expires with exactly
 * one refresh per session however many requests arrive at once, on one instance or many:
 * requests on one instance share one promise; instances share the session's lease in the
 * state store. The holder re-reads the record (another instance may just have refreshed),
 * refreshes, writes, releases; the others watch the record until its tokens are fresh.
 * Requests never wait while the current token is still usable.
 *
 * A refused refresh ends the session (SessionEndedError → 401); an unreachable IdP keeps
 * the session and, once the token has expired, fails the request (RefreshUnavailableError → 503).
 */
export class SessionTokenRefresher {
  private readonly inFlight = new Map<string, Promise<WebSession>>();
  private readonly marginMs: number;
  private readonly marginRatio: number;
  private readonly minRemainingMs: number;
  private readonly refreshTimeoutMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: SessionStore,
    private readonly refresh: RefreshTokens,
    options: TokenRefresherOptions = {},
  ) {
    this.marginMs = options.marginMs ?? 30_000;
    this.marginRatio = options.marginRatio ?? 0.5;
    this.minRemainingMs = options.minRemainingMs ?? 1_000;
    this.refreshTimeoutMs = options.refreshTimeoutMs ?? 5_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? 10_000;
    this.pollMs = options.pollMs ?? 25;
    this.now = options.now ?? Date.now;
  }

  needsRefresh(tokens: SessionTokens, now = this.now()): boolean {
    const lifetime = Math.max(0, tokens.accessTokenExpiresAt - tokens.accessTokenIssuedAt);
    const margin = Math.min(this.marginMs, lifetime * this.marginRatio);
    return now >= tokens.accessTokenExpiresAt - margin;
  }

  usable(tokens: SessionTokens, now = this.now()): boolean {
    return tokens.accessTokenExpiresAt - now > this.minRemainingMs;
  }

  /** The session with tokens fit to use, refreshed first when due. */
  async fresh(loaded: LoadedSession, signal?: AbortSignal): Promise<WebSession> {
    if (!this.needsRefresh(loaded.session.tokens)) return loaded.session;
    if (!loaded.session.tokens.refreshToken) {
      if (this.usable(loaded.session.tokens)) return loaded.session;
      await this.store.end(loaded.handle, 'refresh-failed');
      throw new SessionEndedError('no-refresh-token');
    }
    let flight = this.inFlight.get(loaded.handle);
    if (!flight) {
      flight = this.run(loaded.handle).finally(() => this.inFlight.delete(loaded.handle));
      this.inFlight.set(loaded.handle, flight);
    }
    return signal ? untilAborted(flight, signal) : flight;
  }

  private async run(handle: string): Promise<WebSession> {
    const giveUpAt = this.now() + this.waitTimeoutMs;
    for (;;) {
      const lease = await this.store.acquireLease(handle);
      if (lease !== undefined) {
        try {
          return await this.refreshHolding(handle);
        } finally {
          await this.store.releaseLease(handle, lease).catch(() => undefined); // it expires anyway
        }
      }
      // Another instance (or an activity update) holds the lease: watch the shared record.
      const current = await this.store.read(handle);
      if (!current) throw new SessionEndedError('ended');
      if (!this.needsRefresh(current.tokens) || this.usable(current.tokens)) {
        sessionRefreshes.inc({ result: 'joined' });
        return current;
      }
      if (this.now() >= giveUpAt) throw new RefreshUnavailableError('another instance is still refreshing this session');
      await sleep(this.pollMs);
    }
  }

  private async refreshHolding(handle: string): Promise<WebSession> {
    const current = await this.store.read(handle);
    if (!current) throw new SessionEndedError('ended');
    if (!this.needsRefresh(current.tokens)) {
      sessionRefreshes.inc({ result: 'joined' }); // refreshed elsewhere just before we got the lease
      return current;
    }
    const refreshToken = current.tokens.refreshToken;
    if (!refreshToken) throw new SessionEndedError('no-refresh-token');
    let tokens: SessionTokens;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('token refresh timed out')), this.refreshTimeoutMs);
    try {
      // Raced against the timeout too: a refresh function that ignores its signal still ends here.
      tokens = await untilAborted(this.refresh(refreshToken, controller.signal), controller.signal);
    } catch (error) {
      if (error instanceof RefreshRejectedError) {
        sessionRefreshes.inc({ result: 'rejected' });
        await this.store.end(handle, 'refresh-failed');
        throw new SessionEndedError('refresh-failed');
      }
      sessionRefreshes.inc({ result: 'failed' });
      // The IdP is unreachable: keep going with the current token while it lasts.
      if (this.usable(current.tokens)) return current;
      throw new RefreshUnavailableError('the identity provider could not refresh the session', { cause: error });
    } finally {
      clearTimeout(timer);
    }
    const updated: WebSession = {
      ...current,
      // Rotation: keep the old refresh token only when the IdP did not issue a new one.
      tokens: { ...tokens, refreshToken: tokens.refreshToken ?? refreshToken },
      lastSeenAt: this.now(),
      generation: current.generation + 1,
    };
    if (!(await this.store.write(handle, updated))) throw new SessionEndedError('ended');
    sessionRefreshes.inc({ result: 'refreshed' });
    return updated;
  }
}
