export interface OidcClientOptions {
  /** The OpenID Provider's issuer identifier (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Scopes asked for at sign-in (`openid` is added when missing). */
  scopes: readonly string[];
  /** Bound on each call to the provider (discovery, token, revocation). Default 5000. */
  timeoutMs?: number;
  /**
   * Allow an `http:` issuer (development and tests only; the app refuses it with
   * NODE_ENV=production). openid-client refuses plain HTTP unless told.
   */
  allowHttp?: boolean;
  /**
   * Where bff-web itself reaches the provider, when that differs from the issuer URL browsers
   * use (containers: `http://dev-idp:4000` while browsers use `http://localhost:4000`).
   * bff-web's own connections to the issuer's host go here (same scheme; URLs and the Host
   * header stay as published), and the JWKS for logout tokens is fetched from here.
   */
  backchannelUrl?: string;
}

/** Tokens from the token endpoint, with expiry turned into instants on our clock. */
export interface GrantedTokens {
  accessToken: string;
  accessTokenIssuedAt: number;
  accessTokenExpiresAt: number;
  refreshToken?: string;
  scope?: string;
}

/** The signed-in user, from the validated ID token. */
export interface SignedInUser {
  sub: string;
  sid?: string;
  tenant?: string;
  name?: string;
  email?: string;
}

export interface SignIn {
  user: SignedInUser;
  tokens: GrantedTokens;
}

/** What the callback checks the authorization response against (all from the login-flow cookie). */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
}
