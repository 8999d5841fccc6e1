import { authProblem, type Identity } from '@edge/auth/verify';
import type { Exchange } from '@edge/gateway-policies';
import { problem } from '@edge/problem-details';
import type { GatewayRuntime } from './gateway-runtime';

/**
 * The route's auth decision: anonymous, or a JWT policy (token validated here, scopes
 * checked, the upstream never called on failure). Policies with an API-key header let a
 * request without a bearer token but with a key pass to the BFF that owns the keys.
 */
export async function authenticate(exchange: Exchange, runtime: GatewayRuntime, authorization: string | undefined): Promise<Identity | undefined> {
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
  try {
    return await verifier.authorize(authorization, exchange.route.scopes);
  } catch (error) {
    throw authProblem(error) ?? problem('invalid-token', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' }, cause: error });
  }
}
