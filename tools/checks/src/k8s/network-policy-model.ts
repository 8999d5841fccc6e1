import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';

type LabelSelector = NonNullable<INetworkPolicyPeer['podSelector']>;
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A pod: where it runs, its labels and its named container ports. */
export interface PodEndpoint {
  kind: 'pod';
  name: string;
  namespace: string;
  labels: Readonly<Record<string, string>>;
  ports: readonly { name?: string; containerPort: number; protocol?: string }[];
}

/** An address outside the cluster (the internet, a managed service). */
export interface ExternalEndpoint {
  kind: 'external';
  name: string;
  ip: string;
}

export type Endpoint = PodEndpoint | ExternalEndpoint;

export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'In':
        if (!has || !values.includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  }
  return true;
}

function ipv4(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${address}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

export function cidrContains(cidr: string, address: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const size = 2 ** (32 - prefix);
  return Math.floor(ipv4(base) / size) === Math.floor(ipv4(address) / size);
}

/**
 * NetworkPolicy semantics (networking.k8s.io/v1) for one namespace's policies: a pod selected
 * by no policy of a direction is open in that direction; a selected pod admits exactly what
 * one of the rules of its policies allows. A connection needs the sender's egress and the
 * receiver's ingress. ipBlock peers match addresses outside the cluster only (for pod
 * addresses the behaviour depends on the network plugin, so nothing relies on it).
 */
export class NetworkPolicyModel {
  constructor(
    private readonly policies: readonly INetworkPolicy[],
    private readonly namespaceLabels: (namespace: string) => Readonly<Record<string, string>>,
  ) {}

  connectionAllowed(source: Endpoint, target: Endpoint, port: number, protocol: Protocol = 'TCP'): boolean {
    return this.allowed('Egress', source, target, port, protocol) && this.ingressAllowed(target, source, port, protocol);
  }

  /** The receiver's side alone: what its own policies admit, whatever the sender's policies say. */
  ingressAllowed(target: Endpoint, source: Endpoint, port: number, protocol: Protocol = 'TCP'): boolean {
    return this.allowed('Ingress', target, source, port, protocol);
  }

  /** Whether `subject`'s policies of `direction` admit traffic with `peer` on the subject's or the peer's port. */
  private allowed(direction: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, port: number, protocol: Protocol): boolean {
    if (subject.kind !== 'pod') return true;
    const selecting = this.policies.filter((p) => (p.metadata?.namespace ?? subject.namespace) === subject.namespace && selectorMatches(p.spec?.podSelector, subject.labels) && policyTypes(p).includes(direction));
    if (selecting.length === 0) return true;
    // The port is the receiver's: the subject's own for ingress, the peer's for egress.
    const receiver = direction === 'Ingress' ? subject : peer;
    return selecting.some((policy) => {
      const namespace = policy.metadata?.namespace ?? subject.namespace;
      const rules = direction === 'Ingress' ? (policy.spec?.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports })) : (policy.spec?.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      return rules.some((rule) => this.peersMatch(rule.peers, peer, namespace) && portsMatch(rule.ports, receiver, port, protocol));
    });
  }

  private peersMatch(peers: readonly INetworkPolicyPeer[] | undefined, endpoint: Endpoint, policyNamespace: string): boolean {
    if (!peers || peers.length === 0) return true;
    return peers.some((peer) => {
      if (peer.ipBlock) {
        if (endpoint.kind !== 'external') return false;
        return cidrContains(peer.ipBlock.cidr, endpoint.ip) && !(peer.ipBlock.except ?? []).some((c) => cidrContains(c, endpoint.ip));
      }
      if (endpoint.kind !== 'pod') return false;
      const namespaceOk = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, this.namespaceLabels(endpoint.namespace)) : endpoint.namespace === policyNamespace;
      const podOk = peer.podSelector ? selectorMatches(peer.podSelector, endpoint.labels) : true;
      return namespaceOk && podOk;
    });
  }
}

function policyTypes(policy: INetworkPolicy): string[] {
  if (policy.spec?.policyTypes) return policy.spec.policyTypes;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function portsMatch(ports: readonly INetworkPolicyPort[] | undefined, receiver: Endpoint, port: number, protocol: Protocol): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    // A named port means the receiving pod's container port of that name.
    if (receiver.kind !== 'pod') return false;
    return receiver.ports.some((c) => c.name === p.port && c.containerPort === port && (c.protocol ?? 'TCP') === protocol);
  });
}
