/** Everything the web BFF needs, resolved by the app from its environment. */
export interface BffWebOptions {
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    /** Scopes asked for at sign-in; the edge token carries them and exchanges narrow them per service. */
    scopes: readonly string[];
    allowHttp: boolean;
    timeoutMs: number;
    /** Where bff-web reaches the IdP when browsers use the issuer URL and it cannot (containers). */
    backchannelUrl?: string;
  };
  /**
   * Origins the SPA is served from (scheme://host[:port]): state-changing calls must come
   * from one of them, and the redirect URI is built on the one the browser used. The first
   * is the default.
   */
  allowedOrigins: readonly string[];
  session: {
    /** AES-256 keys (32 bytes each): the first seals, all open. */
    keys: readonly Buffer[];
    idleMs: number;
    absoluteMs: number;
    /** Refresh the access token this long before expiry at most (half its lifetime for short-lived ones). */
    refreshMarginMs: number;
  };
  /** Shared state (sessions, refresh leases, logout jti memory): Redis when set, else memory. */
  redisUrl?: string;
  services: {
    catalogUrl: string;
    ordersUrl: string;
    customersUrl: string;
    recommendationsUrl: string;
  };
  /** Directory of the built SPA (index.html and its assets). */
  spaDirectory: string;
}

export const BFF_WEB_OPTIONS = Symbol('BFF_WEB_OPTIONS');
