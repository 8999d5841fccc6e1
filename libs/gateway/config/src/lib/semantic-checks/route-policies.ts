import type { PathSegment, ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { AuthPolicyConfig, JwtAuthPolicyConfig, RateLimitPolicyConfig } from '../types/policy-config.types';
import { asArray, asString, isAnonymous, isRecord, policyOf, routesOf } from './config-view';

/**
 * Policies must make sense together on a route: a token-derived key (user, tenant, client,
 * scopes, per-user cache) needs a route that validates tokens; a shared cache never sits on
 * an authenticated route; a request must be able to afford its own cost.
 */
export function checkRoutePolicies(config: GatewayConfigFile, problems: ProblemList): void {
  for (const { index, route } of routesOf(config)) {
    const at: PathSegment[] = ['routes', index];
    const auth = policyOf(config, 'auth', route.auth) as AuthPolicyConfig | undefined;
    if (!auth) continue; // unknown or missing: reported elsewhere
    const anonymous = isAnonymous(auth);
    const jwt = anonymous ? undefined : (auth as JwtAuthPolicyConfig);

    if (anonymous && asArray(route.scopes).length > 0) problems.add([...at, 'scopes'], `route "${String(route.auth)}" is anonymous: there is no token to carry scopes`);

    const cost = typeof route.cost === 'number' ? route.cost : 1;
    asArray<unknown>(route.rateLimits).forEach((name, j) => {
      const policy = policyOf(config, 'rateLimits', name) as RateLimitPolicyConfig | undefined;
      if (!policy) return;
      const where = [...at, 'rateLimits', j];
      for (const key of asArray<string>(policy.keyBy)) {
        if (anonymous && (key === 'user' || key === 'tenant' || key === 'client')) {
          problems.add(where, `rate limit "${String(name)}" is keyed by ${key}, but the route's auth policy "${String(route.auth)}" is anonymous: there is no ${key}`);
        } else if (jwt && key === 'tenant' && typeof jwt.tenantClaim !== 'string') {
          problems.add(where, `rate limit "${String(name)}" is keyed by tenant, but auth policy "${String(route.auth)}" has no tenantClaim`);
        } else if (key === 'apiKey' && !isRecord(jwt?.apiKey)) {
          problems.add(where, `rate limit "${String(name)}" is keyed by apiKey, but auth policy "${String(route.auth)}" does not accept API keys (apiKey)`);
        }
      }
      const limits = [policy.limit, ...asArray<{ limit?: unknown }>(policy.quotas).map((q) => (isRecord(q) ? q.limit : undefined))].filter((l): l is number => typeof l === 'number');
      const smallest = Math.min(...limits);
      if (cost > smallest) problems.add([...at, 'cost'], `cost ${cost} exceeds the limit ${smallest} of rate limit "${String(name)}": every request would be rejected`);
    });

    const cache = policyOf(config, 'cache', route.cache);
    if (cache) {
      const where = [...at, 'cache'];
      if (anonymous && cache.scope !== 'shared') problems.add(where, `cache scope ${String(cache.scope)} needs an authenticated route (the key includes the ${cache.scope === 'private-per-user' ? 'user' : 'tenant'}); "${String(route.auth)}" is anonymous`);
      if (jwt && cache.scope === 'shared') problems.add(where, `a shared cache on an authenticated route could serve one user's response to another: use private-per-user or shared-per-tenant`);
      if (jwt && cache.scope !== 'shared' && typeof jwt.tenantClaim !== 'string') problems.add(where, `cache scope ${String(cache.scope)} keys entries by tenant, but auth policy "${String(route.auth)}" has no tenantClaim`);
      const methods = isRecord(route.match) ? route.match.methods : undefined;
      if (Array.isArray(methods) && !methods.includes('GET') && !methods.includes('HEAD')) problems.add(where, 'only GET and HEAD responses are cached, and this route matches neither');
    }
  }
  checkAdmin(config, problems);
}

function checkAdmin(config: GatewayConfigFile, problems: ProblemList): void {
  const admin = isRecord(config.server) && isRecord(config.server.admin) ? config.server.admin : undefined;
  if (!admin) return;
  const at = ['server', 'admin'] as const;
  const hasAuth = asString(admin.auth) !== undefined;
  const hasToken = asString(admin.tokenEnv) !== undefined;
  if (hasAuth === hasToken) problems.add([...at], hasAuth ? 'use auth or tokenEnv, not both' : 'needs auth (a JWT policy) or tokenEnv (a static bearer token): admin endpoints are never anonymous');
  if (hasAuth && isAnonymous(policyOf(config, 'auth', admin.auth) as AuthPolicyConfig | undefined)) problems.add([...at, 'auth'], 'admin endpoints are never anonymous');
  if (hasToken && asArray(admin.scopes).length > 0) problems.add([...at, 'scopes'], 'scopes need a JWT policy (auth); a static token has none');
}
