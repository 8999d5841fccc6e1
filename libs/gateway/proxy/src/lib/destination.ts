/**
 * One upstream address of a cluster and what the balancer and the outlier detector know
 * about it. Mutable counters on purpose: they are updated on every request and read by
 * the balancer, so they live in one small object instead of maps keyed by id.
 */
export interface DestinationState {
  readonly id: string;
  readonly url: URL;
  readonly weight: number;
  /** Requests in flight to this destination (for least-requests / P2C). */
  active: number;
  consecutiveFailures: number;
  /** Epoch ms until which passive outlier detection keeps it out; 0 when not ejected. */
  ejectedUntil: number;
  /** Times it was ejected in a row (ejection time grows with it). */
  ejections: number;
  /** Result of active health checks; true when none are configured. */
  healthy: boolean;
}

export function createDestination(id: string, url: string, weight = 1): DestinationState {
  return { id, url: new URL(url), weight, active: 0, consecutiveFailures: 0, ejectedUntil: 0, ejections: 0, healthy: true };
}
