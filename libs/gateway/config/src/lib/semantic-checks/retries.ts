import type { ProblemList } from '../problems';
import type { ClusterConfig } from '../types/cluster-config.types';
import type { GatewayConfigFile } from '../types/gateway-config.types';
import { entries, isRecord } from './config-view';

/**
 * One retry budget across the call chain (DESIGN.md §4): a BFF retries its own dependencies,
 * so retrying requests to a BFF multiplies attempts. Allowed only with an explicit override.
 */
export function checkRetries(config: GatewayConfigFile, problems: ProblemList): void {
  for (const [id, cluster] of entries<ClusterConfig>(config.clusters)) {
    const retries = cluster.retries;
    if (!isRecord(retries)) continue;
    if (cluster.kind === 'bff' && typeof retries.maxAttempts === 'number' && retries.maxAttempts > 1 && retries.allowForBff !== true) {
      problems.add(
        ['clusters', id, 'retries', 'maxAttempts'],
        'retries to a bff cluster multiply the BFF\'s own retries (one retry budget across the chain): remove them or set retries.allowForBff: true',
      );
    }
    if (retries.allowForBff !== undefined && cluster.kind !== 'bff') problems.add(['clusters', id, 'retries', 'allowForBff'], 'only applies to kind: bff clusters');
  }
}
