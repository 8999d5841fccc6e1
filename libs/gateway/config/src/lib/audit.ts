import { jsonPath } from './problems';
import type { CompiledCluster, CompiledGatewayConfig, CompiledRoute } from './types/compiled-config.types';

export type AuditCode =
  | 'heavy-transform'
  | 'many-parts'
  | 'expensive-without-rate-limit'
  | 'aggregate-cost-below-fan-out'
  | 'unsafe-method-retries'
  | 'wildcard-to-bff'
  | 'long-timeout'
  | 'anonymous-without-rate-limit';

/** A design smell: reported by `gateway:check --audit`, never a reason to refuse a config. */
export interface AuditWarning {
  code: AuditCode;
  path: string;
  message: string;
}

export const AUDIT_THRESHOLDS = {
  /** Header operations + strip patterns + removed JSON fields on one route. */
  transformOperations: 8,
  aggregateParts: 3,
  /** A route with this cost or more is "expensive". */
  expensiveCost: 5,
  longTimeoutMs: 60_000,
} as const;

const UNSAFE = ['POST', 'PATCH'];

/** Warnings for the smells issue 4 names (and one more: anonymous routes without any limit). */
export function auditGatewayConfig(config: CompiledGatewayConfig): AuditWarning[] {
  const warnings: AuditWarning[] = [];
  const warn = (code: AuditCode, path: (string | number)[], message: string): void => {
    warnings.push({ code, path: jsonPath(path), message });
  };
  const T = AUDIT_THRESHOLDS;

  for (const route of [...config.routes].sort((a, b) => a.index - b.index)) {
    const at = ['routes', route.index];
    const parts = route.target.kind === 'aggregate' ? route.target.parts : [];
    if (route.transforms && route.transforms.operationCount > T.transformOperations) {
      warn('heavy-transform', [...at, 'transforms'], `transforms policy "${route.transforms.name}" makes ${route.transforms.operationCount} changes per request (more than ${T.transformOperations}): heavy adaptation belongs in a BFF`);
    }
    if (parts.length > T.aggregateParts) {
      warn('many-parts', [...at, 'aggregate', 'parts'], `an aggregate of ${parts.length} parts (more than ${T.aggregateParts}): every request fans out ${parts.length}×; a screen this composite belongs in a BFF`);
    }
    const expensive = parts.length > 0 || route.cost >= T.expensiveCost;
    if (expensive && route.rateLimits.length === 0) {
      warn('expensive-without-rate-limit', [...at, 'rateLimits'], `an expensive route (${parts.length > 0 ? `aggregate of ${parts.length} parts` : `cost ${route.cost}`}) without a rate limit of its own`);
    }
    if (parts.length > 0 && route.cost < parts.length) {
      warn('aggregate-cost-below-fan-out', [...at, 'cost'], `an aggregate of ${parts.length} parts spends only ${route.cost} rate-limit token(s) per request; set cost to at least ${parts.length}`);
    }
    const bffTargets = targetClusters(route).filter((c) => c.kind === 'bff');
    if (route.match.kind === 'prefix' && bffTargets.length > 0) {
      warn('wildcard-to-bff', [...at, 'match', 'path'], `wildcard route ${route.match.pattern} exposes every endpoint of bff cluster "${bffTargets[0]?.id}", including ones meant to stay internal; list the BFF's public paths if you can`);
    }
    if (route.timeoutMs >= T.longTimeoutMs) warn('long-timeout', [...at, 'timeoutMs'], `${route.timeoutMs} ms: requests this long hold connections and budgets at every hop`);
    parts.forEach((part, j) => {
      if (part.deadlineMs >= T.longTimeoutMs) warn('long-timeout', [...at, 'aggregate', 'parts', j, 'deadlineMs'], `${part.deadlineMs} ms`);
    });
    if (route.auth.kind === 'anonymous' && route.rateLimits.length === 0) {
      warn('anonymous-without-rate-limit', [...at, 'rateLimits'], 'an anonymous route without any rate limit is open to floods');
    }
  }

  for (const cluster of Object.values(config.clusters)) {
    const at = ['clusters', cluster.id];
    const unsafe = cluster.retries.methods.filter((m) => UNSAFE.includes(m));
    if (cluster.retries.maxAttempts > 1 && unsafe.length > 0) {
      warn('unsafe-method-retries', [...at, 'retries', 'methods'], `retries ${unsafe.join(', ')} without an Idempotency-Key: a request that reached the upstream may be applied twice`);
    }
    for (const key of ['perTryMs', 'bodyIdleMs'] as const) {
      const ms = cluster.timeouts[key];
      if (ms !== null && ms >= T.longTimeoutMs) warn('long-timeout', [...at, 'timeouts', key], `${ms} ms`);
    }
  }
  return warnings;
}

function targetClusters(route: CompiledRoute): readonly CompiledCluster[] {
  switch (route.target.kind) {
    case 'cluster':
      return [route.target.cluster];
    case 'weighted':
      return route.target.choices.map((c) => c.cluster);
    case 'aggregate':
      return route.target.parts.map((p) => p.cluster);
    default: {
      const never: never = route.target;
      return never;
    }
  }
}
