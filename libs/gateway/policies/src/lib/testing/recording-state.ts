import type { RateDecision, RateSpec, StateStore } from '@edge/state';

/** Wraps a state store and records the bucket keys it was asked about (to check key hygiene). */
export function recordingState(inner: StateStore): StateStore & { keys: string[] } {
  const keys: string[] = [];
  return Object.assign(Object.create(inner) as StateStore, {
    keys,
    kind: inner.kind,
    consume(key: string, spec: RateSpec): Promise<RateDecision> {
      keys.push(key);
      return inner.consume(key, spec);
    },
  });
}

/** Redis adapters fail fast until connected (no offline queue): wait for the first PONG. */
export async function connected<T extends StateStore>(store: T): Promise<T> {
  for (let i = 0; i < 100 && !(await store.ping()); i++) await new Promise((r) => setTimeout(r, 20));
  return store;
}
