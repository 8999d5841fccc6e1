import { MANAGED_HEADERS } from '../header-patterns';
import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { JwtAlgorithm } from '../types/policy-config.types';
import { asArray, isRecord, policiesOf } from './config-view';

export const ASYMMETRIC_ALGORITHMS: readonly JwtAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** Auth policies: asymmetric algorithms only, anonymous means nothing else, sane header names. */
export function checkAuthPolicies(config: GatewayConfigFile, problems: ProblemList): void {
  for (const [name, policy] of policiesOf(config, 'auth')) {
    const at = ['policies', 'auth', name] as const;
    if (policy.anonymous === true) {
      const extra = Object.keys(policy).filter((k) => k !== 'anonymous');
      if (extra.length > 0) problems.add([...at], `an anonymous policy takes no other settings (found ${extra.join(', ')})`);
      continue;
    }
    asArray<unknown>(policy.algorithms).forEach((alg, j) => {
      if (typeof alg !== 'string' || (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) return;
      problems.add([...at, 'algorithms', j], algorithmProblem(alg));
    });
    const identity = isRecord(policy.identityHeaders) ? policy.identityHeaders : {};
    for (const [key, header] of Object.entries(identity)) {
      if (typeof header === 'string' && (reservedHeader(header) || header.toLowerCase() === 'x-api-key')) {
        problems.add([...at, 'identityHeaders', key], `"${header}" cannot carry identity: it is managed by the gateway or a credential header`);
      }
    }
    if (typeof identity['user'] === 'string' && typeof identity['tenant'] === 'string' && identity['user'].toLowerCase() === identity['tenant'].toLowerCase()) {
      problems.add([...at, 'identityHeaders', 'tenant'], 'must differ from identityHeaders.user');
    }
    const apiKeyHeader = isRecord(policy.apiKey) ? policy.apiKey.header : undefined;
    if (typeof apiKeyHeader === 'string' && reservedHeader(apiKeyHeader)) {
      problems.add([...at, 'apiKey', 'header'], `"${apiKeyHeader}" cannot carry an API key (it is managed by the gateway or carries other credentials)`);
    }
  }
}

function algorithmProblem(alg: string): string {
  if (/^none$/i.test(alg)) return '"none" accepts unsigned tokens: only asymmetric algorithms are allowed';
  if (/^HS\d+$/i.test(alg)) return `${alg} is symmetric (a shared secret anyone who verifies could sign with): only asymmetric algorithms are allowed (${ASYMMETRIC_ALGORITHMS.join(', ')})`;
  return `unknown algorithm "${alg}": use one of ${ASYMMETRIC_ALGORITHMS.join(', ')}`;
}

function reservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (MANAGED_HEADERS as readonly string[]).includes(lower) || lower === 'authorization' || lower === 'cookie' || lower.startsWith('x-forwarded-') || lower === 'forwarded';
}
