/** The tokens bff-web holds for a browser: only ever server-side. */
export interface SessionTokens {
  /** Access token for the edge (edge-api): the subject of every token exchange. */
  readonly accessToken: string;
  /** Epoch ms. */
  readonly accessTokenExpiresAt: number;
  /** When the access token was issued (epoch ms, our clock): its lifetime sets the refresh margin. */
  readonly accessTokenIssuedAt: number;
  readonly refreshToken?: string;
  readonly scope?: string;
}

/** Who the session belongs to, from the validated ID token. */
export interface SessionUser {
  readonly sub: string;
  /** The IdP session (OIDC `sid`): back-channel logout names it. */
  readonly sid?: string;
  readonly tenant?: string;
  readonly name?: string;
  readonly email?: string;
}

/** One browser session as stored (encrypted) in the state store. */
export interface WebSession {
  readonly user: SessionUser;
  readonly tokens: SessionTokens;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly absoluteExpiresAt: number;
  readonly lastSeenAt: number;
  /** Incremented by each token refresh: waiters on other instances watch for the change. */
  readonly generation: number;
}

export interface SessionLifetimes {
  /** The session ends after this long without a request. */
  idleMs: number;
  /** …and this long after sign-in, whatever happens. */
  absoluteMs: number;
}

/** When an idle session ends (never after its absolute end). */
export function idleExpiresAt(session: WebSession, lifetimes: SessionLifetimes): number {
  return Math.min(session.absoluteExpiresAt, session.lastSeenAt + lifetimes.idleMs);
}

export function isExpired(session: WebSession, lifetimes: SessionLifetimes, now: number): boolean {
  return now >= idleExpiresAt(session, lifetimes);
}
