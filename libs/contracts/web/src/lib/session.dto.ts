/** `GET /web/session`: who is signed in and until when. Never a token. */
export type WebSessionDto = SignedInSessionDto | SignedOutSessionDto;

export interface SignedOutSessionDto {
  authenticated: false;
  /** Where the SPA sends the browser to sign in (append `?returnTo=/web/...`). */
  loginUrl: string;
}

export interface SignedInSessionDto {
  authenticated: true;
  user: WebUserDto;
  /** ISO instants: the session ends at `expiresAt` at the latest, earlier when idle past `idleExpiresAt`. */
  expiresAt: string;
  idleExpiresAt: string;
  /** The form target that ends the session (POST). */
  logoutUrl: string;
}

export interface WebUserDto {
  sub: string;
  name?: string;
  email?: string;
  tenant?: string;
}
