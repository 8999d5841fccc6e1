// The framework-free part of @edge/auth: token verification, JWKS, identities and downstream
// tokens, without the Nest/passport adapters (passport, passport-jwt and jsonwebtoken are
// ≈ 3.4 MB of resident memory the gateway, which verifies with jose, never uses).
export * from './lib/auth-policy';
export * from './lib/token-error';
export * from './lib/bearer-token';
export * from './lib/token-header';
export * from './lib/identity';
export * from './lib/verification-key';
export * from './lib/jwks-key-store';
export * from './lib/verified-token-cache';
export * from './lib/access-token-verifier';
export * from './lib/downstream/downstream-token.options';
export { TokenExchangeError, type ExchangeFailureKind, TOKEN_EXCHANGE_GRANT_TYPE, ACCESS_TOKEN_TYPE } from './lib/downstream/token-exchange.client';
export * from './lib/downstream/downstream-token.provider';
export * from './lib/downstream/authorize-with';
