import type { SessionCipher } from './session-cipher';
import { LOGIN_COOKIE } from './cookies';

/** What the callback needs to finish a sign-in the login endpoint started. */
export interface LoginState {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Same-origin relative path, already checked. */
  returnTo: string;
  redirectUri: string;
  /** Epoch ms after which the flow is refused. */
  expiresAt: number;
}

/** Sealed into the login-flow cookie: the browser holds it, cannot read or alter it. */
export function sealLoginState(cipher: SessionCipher, state: LoginState): string {
  return cipher.seal(JSON.stringify(state), LOGIN_COOKIE);
}

export function openLoginState(cipher: SessionCipher, sealed: string | undefined, now = Date.now()): LoginState | undefined {
  if (!sealed) return undefined;
  const plain = cipher.open(sealed, LOGIN_COOKIE);
  if (plain === undefined) return undefined;
  const state = JSON.parse(plain) as LoginState;
  return state.expiresAt > now ? state : undefined;
}
