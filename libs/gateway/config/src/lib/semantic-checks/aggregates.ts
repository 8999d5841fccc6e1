import { DEFAULTS } from '../defaults';
import { upstreamPathProblem } from '../path-pattern';
import type { PathSegment, ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { AuthPolicyConfig, JwtAuthPolicyConfig } from '../types/policy-config.types';
import type { AggregatePartConfig } from '../types/route-config.types';
import { asArray, isAnonymous, isRecord, policyOf, routesOf } from './config-view';

export const PART_PLACEHOLDER = /\{([^{}]*)\}/g;
const VALID_PLACEHOLDER = /^(identity\.(sub|tenant)|query\.[A-Za-z0-9_.-]+)$/;

/**
 * Aggregates are bounded read-only fan-outs on exact paths: at most
 * `server.limits.maxAggregateParts` parts, each with a path on its cluster, placeholders that
 * can be filled, and credentials that exist.
 */
export function checkAggregates(config: GatewayConfigFile, problems: ProblemList): void {
  const limits = isRecord(config.server) && isRecord(config.server.limits) ? config.server.limits : {};
  const maxParts = typeof limits.maxAggregateParts === 'number' ? limits.maxAggregateParts : DEFAULTS.server.limits.maxAggregateParts;
  const hasExchange = isRecord(config.server) && isRecord(config.server.tokenExchange);

  for (const { index, route, pattern } of routesOf(config)) {
    if (!isRecord(route.aggregate)) continue;
    const at: PathSegment[] = ['routes', index];
    const parts = asArray<AggregatePartConfig>(route.aggregate.parts);
    if (parts.length > maxParts) problems.add([...at, 'aggregate', 'parts'], `fan-out of ${parts.length} parts exceeds server.limits.maxAggregateParts (${maxParts})`);
    if (pattern?.kind === 'prefix') problems.add([...at, 'match', 'path'], 'an aggregate route matches one exact path (no "/**")');
    const methods = isRecord(route.match) ? route.match.methods : undefined;
    if (!Array.isArray(methods) || methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
      problems.add([...at, 'match', 'methods'], 'an aggregate is read-only: list GET (and HEAD) explicitly');
    }
    const auth = policyOf(config, 'auth', route.auth) as AuthPolicyConfig | undefined;
    const anonymous = isAnonymous(auth);
    const jwt = auth && !anonymous ? (auth as JwtAuthPolicyConfig) : undefined;

    parts.forEach((part, j) => {
      if (!isRecord(part)) return;
      const pat: PathSegment[] = [...at, 'aggregate', 'parts', j];
      if (part.key === 'warnings') problems.add([...pat, 'key'], '"warnings" is reserved for the partial-response warnings');
      if (typeof part.path === 'string') {
        const problem = upstreamPathProblem(part.path.replace(PART_PLACEHOLDER, 'x'), { allowQuery: true });
        if (problem) problems.add([...pat, 'path'], problem);
        for (const [, name = ''] of part.path.matchAll(PART_PLACEHOLDER)) {
          if (!VALID_PLACEHOLDER.test(name)) problems.add([...pat, 'path'], `unknown placeholder {${name}} (use {identity.sub}, {identity.tenant} or {query.<name>})`);
          else if (name.startsWith('identity.') && anonymous) problems.add([...pat, 'path'], `{${name}} needs an authenticated route; "${String(route.auth)}" is anonymous`);
          else if (name === 'identity.tenant' && jwt && typeof jwt.tenantClaim !== 'string') problems.add([...pat, 'path'], `{identity.tenant} needs a tenantClaim in auth policy "${String(route.auth)}"`);
        }
      }
      const token = part.token ?? DEFAULTS.part.token;
      if (token === 'exchange') {
        if (typeof part.audience !== 'string') problems.add([...pat, 'audience'], 'is required with token: exchange (the audience of the service\'s tokens)');
        if (!hasExchange) problems.add([...pat, 'token'], 'token: exchange needs server.tokenExchange (the gateway\'s client at the token endpoint)');
        if (anonymous) problems.add([...pat, 'token'], `there is no caller token to exchange: "${String(route.auth)}" is anonymous`);
      } else {
        if (part.audience !== undefined) problems.add([...pat, 'audience'], 'only applies with token: exchange');
        if (part.scopes !== undefined) problems.add([...pat, 'scopes'], 'only applies with token: exchange');
      }
      if (part.maxStaleMs !== undefined && part.policy !== 'stale-allowed') problems.add([...pat, 'maxStaleMs'], 'only applies with policy: stale-allowed');
    });
  }
}
