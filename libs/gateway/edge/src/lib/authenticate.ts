import { authProblem, type Identity } from '@edge/auth/verify';
import type { Exchange } from '@edge/gateway-policies';
import { problem } from '@edge/problem-details';
import type { GatewayRuntime } from './gateway-runtime';

const invalid = (error: unknown) => authProblem(error) ?? problem('invalid-token', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, cause: error });

/**
 * The route's auth decision: anonymous, or a JWT policy (token validated here, scopes
 * checked, the upstream never called on failure). Policies with an API-key header let a
 * request without a bearer token but with a key pass to the BFF that owns the keys. A token
 * verified before is answered without a promise (the common case on the hot path).
 */
export function authenticate(exchange: Exchange, runtime: GatewayRuntime, authorization: string | undefined): Identity | undefined | Promise<Identity | undefined> {
  const policy = exchange.route.auth;
  if (policy.kind === 'anonymous') return undefined;
  if (authorization === undefined && policy.apiKey) {
    const key = exchange.req.headers[policy.apiKey.header];
    if (typeof key === 'string' && key.length > 0) {
      exchange.apiKey = key;
      return undefined;
    }
  }
  const verifier = runtime.verifiers.get(policy.name);
  if (!verifier) throw problem('internal', { detail: 'auth policy not loaded' });
  let cached: Identity | undefined;
  try {
    cached = verifier.authorizeCached(authorization, exchange.route.scopes);
  } catch (error) {
    throw invalid(error);
  }
  if (cached) return cached;
  return verifier.authorize(authorization, exchange.route.scopes).catch((error: unknown) => {
    throw invalid(error);
  });
}
