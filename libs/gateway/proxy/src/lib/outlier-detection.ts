import type { DestinationState } from './destination';

export interface OutlierSettings {
  /** Consecutive failures (transport errors, 5xx) that eject a destination. */
  consecutiveFailures: number;
  /** Base ejection time; grows linearly with repeated ejections (capped at 10×). */
  ejectionMs: number;
  /** Never eject more than this share of a cluster (< 100: one always stays). */
  maxEjectedPercent: number;
}

/**
 * Passive health (Envoy's outlier detection, simplified): failures observed on real
 * traffic take a destination out for a while. It never ejects them all; when every
 * destination is out or unhealthy, all are used (panic mode) rather than failing closed.
 */
export class OutlierDetector {
  constructor(
    private readonly destinations: readonly DestinationState[],
    private readonly settings: OutlierSettings | undefined,
  ) {}

  /** Destinations eligible right now. */
  available(now: number): readonly DestinationState[] {
    let all = true;
    for (const d of this.destinations) {
      if (d.ejectedUntil > now || !d.healthy) {
        all = false;
        break;
      }
    }
    if (all) return this.destinations;
    const eligible = this.destinations.filter((d) => d.ejectedUntil <= now && d.healthy);
    return eligible.length > 0 ? eligible : this.destinations;
  }

  ejectedCount(now: number): number {
    let n = 0;
    for (const d of this.destinations) if (d.ejectedUntil > now) n++;
    return n;
  }

  onSuccess(d: DestinationState): void {
    d.consecutiveFailures = 0;
    if (d.ejectedUntil === 0) d.ejections = 0;
  }

  /** @returns true when this failure ejected the destination. */
  onFailure(d: DestinationState, now: number): boolean {
    d.consecutiveFailures++;
    const s = this.settings;
    if (!s || d.consecutiveFailures < s.consecutiveFailures || d.ejectedUntil > now) return false;
    const maxEjected = Math.floor((this.destinations.length * s.maxEjectedPercent) / 100);
    if (this.ejectedCount(now) >= Math.min(maxEjected, this.destinations.length - 1)) return false;
    d.ejections++;
    d.ejectedUntil = now + s.ejectionMs * Math.min(d.ejections, 10);
    d.consecutiveFailures = 0;
    return true;
  }
}
