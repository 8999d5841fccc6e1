import { headerNameMatcher, MANAGED_HEADERS } from '../header-patterns';
import type { PathSegment, ProblemList } from '../problems';
import { DEFAULTS } from '../defaults';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { HeaderOpsConfig, RequestDenyRuleConfig } from '../types/policy-config.types';
import { asArray, isRecord, policiesOf } from './config-view';

/**
 * Transformations stay inside what the gateway lets configuration touch: never the headers it
 * manages itself (hop-by-hop, Host — setting Host would send the request to another virtual
 * host than the destination —, Content-Length), never identity headers on requests (only auth
 * policies set those), and regular expressions that compile.
 */
export function checkTransforms(config: GatewayConfigFile, problems: ProblemList): void {
  const identity = headerNameMatcher([...identityPatterns(config), ...identityHeaderNames(config)]);
  for (const [name, policy] of policiesOf(config, 'transforms')) {
    const at: PathSegment[] = ['policies', 'transforms', name];
    if (isRecord(policy.request)) headerOps(problems, [...at, 'request'], policy.request, (header) => identity.matches(header.toLowerCase()));
    if (isRecord(policy.response)) headerOps(problems, [...at, 'response'], policy.response, () => false);
  }
  for (const [name, policy] of policiesOf(config, 'requestRules')) {
    asArray<RequestDenyRuleConfig>(policy.deny).forEach((rule, j) => {
      if (!isRecord(rule)) return;
      const at: PathSegment[] = ['policies', 'requestRules', name, 'deny', j];
      if (rule.methods === undefined && rule.path === undefined && rule.query === undefined && rule.header === undefined) {
        problems.add(at, 'needs at least one condition (methods, path, query, header): an empty rule would deny everything');
      }
      for (const [key, source] of [['path', rule.path], ['query', rule.query], ['header', isRecord(rule.header) ? rule.header.pattern : undefined]] as const) {
        if (typeof source !== 'string') continue;
        const problem = regexProblem(source);
        if (problem) problems.add(key === 'header' ? [...at, 'header', 'pattern'] : [...at, key], problem);
      }
    });
  }
}

function headerOps(problems: ProblemList, at: PathSegment[], ops: HeaderOpsConfig, isIdentity: (header: string) => boolean): void {
  const written: [string, string][] = [
    ...Object.keys(isRecord(ops.add) ? ops.add : {}).map((h): [string, string] => ['add', h]),
    ...Object.keys(isRecord(ops.set) ? ops.set : {}).map((h): [string, string] => ['set', h]),
    ...Object.values(isRecord(ops.rename) ? ops.rename : {}).map((h): [string, string] => ['rename', String(h)]),
  ];
  const touched: [string, string][] = [
    ...written,
    ...Object.keys(isRecord(ops.rename) ? ops.rename : {}).map((h): [string, string] => ['rename', h]),
    ...asArray<unknown>(ops.remove).map((h): [string, string] => ['remove', String(h)]),
  ];
  for (const [op, header] of touched) {
    if ((MANAGED_HEADERS as readonly string[]).includes(header.toLowerCase())) {
      problems.add([...at, op], `"${header}" is managed by the gateway${header.toLowerCase() === 'host' ? ' (the Host follows the destination; another Host would address a host outside the cluster)' : ''}`);
    }
  }
  for (const [op, header] of written) {
    if (isIdentity(header)) problems.add([...at, op], `"${header}" is an identity header: only auth policies set identity headers (identityHeaders), so that no configuration or client can forge one`);
  }
}

function identityPatterns(config: GatewayConfigFile): string[] {
  const configured = isRecord(config.server) ? config.server.stripIdentityHeaders : undefined;
  return Array.isArray(configured) ? configured.filter((p): p is string => typeof p === 'string') : [...DEFAULTS.server.stripIdentityHeaders];
}

function identityHeaderNames(config: GatewayConfigFile): string[] {
  return policiesOf(config, 'auth').flatMap(([, p]) => {
    const h = isRecord(p) && 'identityHeaders' in p && isRecord(p.identityHeaders) ? p.identityHeaders : {};
    return Object.values(h).filter((v): v is string => typeof v === 'string');
  });
}

export function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, 'u');
    return undefined;
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
}
