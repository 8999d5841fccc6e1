import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { cidrContains, NetworkPolicyModel, selectorMatches, type ExternalEndpoint, type PodEndpoint } from './network-policy-model';

const pod = (name: string, namespace = 'app', labels: Record<string, string> = { app: name }, ports = [{ name: 'http', containerPort: 8080 }]): PodEndpoint => ({ kind: 'pod', name, namespace, labels, ports });
const internet: ExternalEndpoint = { kind: 'external', name: 'internet', ip: '203.0.113.7' };
const policy = (name: string, spec: INetworkPolicy['spec']): INetworkPolicy => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'app' }, spec });
const model = (...policies: INetworkPolicy[]) => new NetworkPolicyModel(policies, (ns) => ({ 'kubernetes.io/metadata.name': ns }));

describe('NetworkPolicy model', () => {
  const web = pod('web');
  const api = pod('api');
  const stranger = pod('web', 'other');

  it('leaves pods open without policies and closes them under a default deny', () => {
    expect(model().connectionAllowed(web, api, 8080)).toBe(true);
    const deny = model(policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    expect(deny.connectionAllowed(web, api, 8080)).toBe(false);
    expect(deny.connectionAllowed(internet, api, 8080)).toBe(false);
  });

  it('needs both the egress of the sender and the ingress of the receiver', () => {
    const deny = policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const apiIn = policy('api-in', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(model(deny, apiIn).connectionAllowed(web, api, 8080)).toBe(false);
    const webOut = policy('web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] });
    expect(model(deny, apiIn, webOut).connectionAllowed(web, api, 8080)).toBe(true);
    expect(model(deny, apiIn, webOut).connectionAllowed(web, api, 9090)).toBe(false);
    expect(model(deny, apiIn, webOut).connectionAllowed(api, web, 8080)).toBe(false);
  });

  it('reads a podSelector alone as the policy namespace only, and both selectors as one peer', () => {
    const sameNs = model(policy('p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] }));
    expect(sameNs.connectionAllowed(web, api, 8080)).toBe(true);
    expect(sameNs.connectionAllowed(stranger, api, 8080)).toBe(false);
    const both = model(policy('p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'nope' } } }] }] }));
    expect(both.connectionAllowed(stranger, api, 8080)).toBe(false);
    const either = model(policy('p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }, { podSelector: { matchLabels: { app: 'nope' } } }] }] }));
    expect(either.connectionAllowed(stranger, api, 8080)).toBe(true);
  });

  it('matches ipBlocks with exceptions against outside addresses only, and rules without peers against everything', () => {
    const blocks = model(policy('p', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.0/24'] } }] }] }));
    expect(blocks.connectionAllowed(internet, api, 8080)).toBe(false);
    expect(blocks.connectionAllowed({ ...internet, ip: '198.51.100.1' }, api, 8080)).toBe(true);
    expect(blocks.connectionAllowed(web, api, 8080)).toBe(false);
    const anyone = model(policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] }));
    expect(anyone.connectionAllowed(internet, api, 8080)).toBe(true);
    expect(anyone.connectionAllowed(stranger, api, 8080)).toBe(true);
  });

  it('resolves named ports, port ranges and protocols on the receiving side', () => {
    const named = model(policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 'http' }] }] }));
    expect(named.connectionAllowed(web, api, 8080)).toBe(true);
    expect(named.connectionAllowed(web, api, 8081)).toBe(false);
    const range = model(policy('p', { podSelector: {}, ingress: [{ ports: [{ port: 4100, endPort: 4104 }] }] }));
    expect(range.connectionAllowed(web, api, 4103)).toBe(true);
    expect(range.connectionAllowed(web, api, 4105)).toBe(false);
    const udp = model(policy('p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }));
    expect(udp.connectionAllowed(web, internet, 53, 'UDP')).toBe(true);
    expect(udp.connectionAllowed(web, internet, 53, 'TCP')).toBe(false);
  });

  it('evaluates label selector expressions and CIDRs', () => {
    const labels = { tier: 'bff', team: 'web' };
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['bff', 'gateway'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['bff'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { tier: 'bff', team: 'mobile' } }, labels)).toBe(false);
    expect(cidrContains('10.0.0.0/8', '10.255.1.2')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(cidrContains('0.0.0.0/0', '203.0.113.7')).toBe(true);
  });
});
