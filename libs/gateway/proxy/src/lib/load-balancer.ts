import type { DestinationState } from './destination';

export type LoadBalancing = 'round-robin' | 'least-requests' | 'power-of-two-choices' | 'first';

export type Balancer = (candidates: readonly DestinationState[]) => DestinationState | undefined;

/** Weighted round robin (smooth: weights interleave rather than burst). */
function roundRobin(): Balancer {
  const current = new Map<string, number>();
  return (candidates) => {
    if (candidates.length <= 1) return candidates[0];
    let total = 0;
    let best: DestinationState | undefined;
    let bestScore = -Infinity;
    for (const d of candidates) {
      const score = (current.get(d.id) ?? 0) + d.weight;
      current.set(d.id, score);
      total += d.weight;
      if (score > bestScore) {
        bestScore = score;
        best = d;
      }
    }
    if (best) current.set(best.id, bestScore - total);
    return best;
  };
}

/** Fewest in-flight requests relative to weight; ties go to the first. */
function leastRequests(): Balancer {
  return (candidates) => {
    let best: DestinationState | undefined;
    let bestLoad = Infinity;
    for (const d of candidates) {
      const load = d.active / d.weight;
      if (load < bestLoad) {
        bestLoad = load;
        best = d;
      }
    }
    return best;
  };
}

/** Two random candidates, the less loaded wins: near least-requests quality, O(1). */
function powerOfTwoChoices(random: () => number): Balancer {
  return (candidates) => {
    const n = candidates.length;
    if (n <= 1) return candidates[0];
    const a = candidates[Math.floor(random() * n)] as DestinationState;
    let b = candidates[Math.floor(random() * (n - 1))] as DestinationState;
    if (b === a) b = candidates[n - 1] as DestinationState;
    return a.active / a.weight <= b.active / b.weight ? a : b;
  };
}

export function createBalancer(kind: LoadBalancing, random: () => number = Math.random): Balancer {
  switch (kind) {
    case 'round-robin':
      return roundRobin();
    case 'least-requests':
      return leastRequests();
    case 'power-of-two-choices':
      return powerOfTwoChoices(random);
    case 'first':
      return (candidates) => candidates[0];
    default: {
      const never: never = kind;
      throw new Error(`unknown load balancing ${String(never)}`);
    }
  }
}
