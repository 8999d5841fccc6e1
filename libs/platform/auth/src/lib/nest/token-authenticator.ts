import type { Identity } from '../identity';

/**
 * Port: turns a bearer token into an Identity or throws TokenError. Two adapters exist
 * (jose through AccessTokenVerifier, and passport-jwt); AuthModule binds one to this token.
 */
export interface TokenAuthenticator {
  authenticate(token: string, request: object): Promise<Identity>;
}
export const TokenAuthenticator = Symbol('TokenAuthenticator');

export type AuthEngine = 'jose' | 'passport';
