import { parseCidr } from '../cidr';
import type { PathSegment, ProblemList } from '../problems';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import type { IpRulesPolicyConfig } from '../types/policy-config.types';
import { asArray, isRecord, policiesOf } from './config-view';

/** Every CIDR parses (IPv4 and IPv6); an ipRules policy decides something. */
export function checkCidrs(config: GatewayConfigFile, problems: ProblemList): void {
  const check = (at: PathSegment[], list: unknown): void =>
    asArray<unknown>(list).forEach((text, j) => {
      if (typeof text !== 'string') return;
      const parsed = parseCidr(text);
      if (!parsed.ok) problems.add([...at, j], parsed.message);
    });
  if (isRecord(config.server)) check(['server', 'trustedProxies'], config.server.trustedProxies);
  for (const [name, policy] of policiesOf(config, 'ipRules')) {
    const rules = policy as IpRulesPolicyConfig;
    check(['policies', 'ipRules', name, 'allow'], rules.allow);
    check(['policies', 'ipRules', name, 'deny'], rules.deny);
    if (asArray(rules.allow).length === 0 && asArray(rules.deny).length === 0) problems.add(['policies', 'ipRules', name], 'needs allow or deny entries');
  }
}
