import type { ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { asArray, policiesOf } from './config-view';

/** Exact origins only; `*` alone and never with credentials (browsers refuse it, and it would be unsafe). */
export function checkCors(config: GatewayConfigFile, problems: ProblemList): void {
  for (const [name, policy] of policiesOf(config, 'cors')) {
    const at = ['policies', 'cors', name] as const;
    const origins = asArray<unknown>(policy.origins);
    const wildcard = origins.includes('*');
    if (wildcard && policy.credentials === true) problems.add([...at, 'credentials'], 'credentials need explicit origins: "*" with credentials is refused');
    if (wildcard && origins.length > 1) problems.add([...at, 'origins'], '"*" already allows every origin: list exact origins or "*" alone');
    origins.forEach((origin, j) => {
      if (typeof origin !== 'string' || origin === '*') return;
      const problem = exactOriginProblem(origin);
      if (problem) problems.add([...at, 'origins', j], problem);
    });
  }
}

function exactOriginProblem(origin: string): string | undefined {
  if (origin.includes('*')) return `"${origin}": wildcard origins are not supported; list each origin`;
  try {
    const url = new URL(origin);
    if (url.origin !== origin) return `"${origin}" is not an exact origin (scheme://host[:port], no path or trailing slash; expected ${url.origin})`;
    return undefined;
  } catch {
    return `"${origin}" is not an origin (scheme://host[:port])`;
  }
}
