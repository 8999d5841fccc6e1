import { AccessTokenVerifier } from '@edge/auth/verify';
import type { CompiledGatewayConfig, CompiledJwtAuthPolicy } from '@edge/gateway-config';
import { ClusterRuntime, compileHeaderRules, type ClusterObserver, type StripRule } from '@edge/gateway-proxy';
import { createPolicyEngine, type EdgePolicyEngine, type Exchange, type UpstreamFetch } from '@edge/gateway-policies';
import type { StateStore } from '@edge/state';
import type { Logger } from 'pino';

/** What outlives config versions: shared state stores, the logger, the upstream fetcher. */
export interface RuntimeDeps {
  observer: ClusterObserver;
  state: StateStore;
  memoryState: StateStore;
  log: Logger;
  fetchUpstream: UpstreamFetch;
  /** Builds the aggregate runner of a version (declarative composite routes). */
  aggregator?: (runtime: GatewayRuntime) => (exchange: Exchange) => Promise<void>;
}
import { clusterSettings } from './cluster-settings.mapper';

/**
 * Everything a request needs, built once per config version and swapped as one reference
 * on reload (YARP's model). Cluster runtimes (pools, breakers) and token verifiers (JWKS
 * caches) whose configuration did not change are carried over, so a reload neither drops
 * connections nor refetches keys.
 */
export class GatewayRuntime {
  readonly clusters = new Map<string, ClusterRuntime>();
  readonly verifiers = new Map<string, AccessTokenVerifier>();
  readonly strip: StripRule;
  /** Edge policies of this version (IP and deny rules, CORS, rate limits, cache, transforms...). */
  readonly policies: EdgePolicyEngine;
  /** Runs a composite route (declarative aggregation). */
  readonly aggregate: ((exchange: Exchange) => Promise<void>) | undefined;
  /** Paths the gateway answers itself (health, metrics, portal): everything else is proxied. */
  private readonly ownPaths: ReadonlySet<string>;
  private readonly adminPrefix: string | undefined;
  private readonly clusterKeys = new Map<string, string>();
  private readonly verifierKeys = new Map<string, string>();

  constructor(
    readonly config: CompiledGatewayConfig,
    deps: RuntimeDeps,
    previous?: GatewayRuntime,
  ) {
    const observer = deps.observer;
    this.ownPaths = new Set(config.reservedPaths);
    this.adminPrefix = config.server.admin ? `${config.server.admin.basePath}/` : undefined;
    const matcher = config.server.stripRequestHeaders;
    this.strip = compileHeaderRules([], (name) => matcher.matches(name));
    for (const [id, cluster] of Object.entries(config.clusters)) {
      const key = JSON.stringify(config.source.clusters[id]);
      const reuse = previous?.clusterKeys.get(id) === key ? previous.clusters.get(id) : undefined;
      this.clusters.set(id, reuse ?? new ClusterRuntime(clusterSettings(cluster), observer));
      this.clusterKeys.set(id, key);
    }
    for (const policy of Object.values(config.policies.auth)) {
      if (policy.kind !== 'jwt') continue;
      const key = JSON.stringify(config.source.policies?.auth?.[policy.name]);
      const reuse = previous?.verifierKeys.get(policy.name) === key ? previous.verifiers.get(policy.name) : undefined;
      this.verifiers.set(policy.name, reuse ?? createVerifier(policy));
      this.verifierKeys.set(policy.name, key);
    }
    this.policies = createPolicyEngine(config, {
      state: deps.state,
      memoryState: deps.memoryState,
      log: deps.log,
      fetchUpstream: deps.fetchUpstream,
      ...(previous ? { previous: previous.policies } : {}),
    });
    this.aggregate = deps.aggregator?.(this);
  }

  isOwnPath(path: string): boolean {
    return this.ownPaths.has(path) || (this.adminPrefix !== undefined && path.startsWith(this.adminPrefix));
  }

  /** Starts key stores of new verifiers (background JWKS fetch). */
  start(): void {
    for (const v of this.verifiers.values()) v.start();
  }

  /** Releases what the next runtime did not take over; pools close after their in-flight requests. */
  async retire(next?: GatewayRuntime): Promise<void> {
    const kept = new Set<unknown>([...(next?.clusters.values() ?? []), ...(next?.verifiers.values() ?? [])]);
    for (const v of this.verifiers.values()) if (!kept.has(v)) v.close();
    await this.policies.close();
    await Promise.all([...this.clusters.values()].filter((c) => !kept.has(c)).map((c) => c.close()));
  }
}

function createVerifier(policy: CompiledJwtAuthPolicy): AccessTokenVerifier {
  return new AccessTokenVerifier({
    issuer: policy.issuer,
    audience: policy.audiences,
    ...(policy.jwksUri ? { jwksUri: policy.jwksUri } : {}),
    algorithms: policy.algorithms,
    clockToleranceSec: policy.clockToleranceSec,
    requiredClaims: policy.requiredClaims.filter((c) => c !== 'exp'),
    ...(policy.tenantClaim ? { tenantClaim: policy.tenantClaim } : {}),
    jwks: { ...policy.jwks },
  });
}
