import type { ProxyErrorKind } from './proxy-error';

/** What a cluster reports as it works (the gateway wires it to metrics and logs). */
export interface ClusterObserver {
  attempt(cluster: string, destination: string, outcome: number | ProxyErrorKind, seconds: number, resendCount: number): void;
  retry(cluster: string, reason: string): void;
  breakerState(cluster: string, state: 'closed' | 'half-open' | 'open'): void;
  ejected(cluster: string, destination: string, ejected: boolean): void;
}

export const silentObserver: ClusterObserver = {
  attempt: () => undefined,
  retry: () => undefined,
  breakerState: () => undefined,
  ejected: () => undefined,
};
