/**
 * What a part does when its call fails or runs out of time:
 * - `required`: the request fails with the part's problem (502/503/504, or the upstream's 4xx);
 * - `optional`: its `fallback()` is served and the response is marked partial;
 * - `stale-allowed`: the last good value (same `staleKey`) no older than `maxStaleMs` is served
 *   and the response is marked partial; without one, `fallback()` if declared, else it fails
 *   like a required part.
 */
export type PartPolicy = 'required' | 'optional' | 'stale-allowed';

export interface PartCallOptions {
  readonly deadline: number;
  readonly signal: AbortSignal;
}

export interface PartContext<I> {
  readonly input: I;
  readonly endpoint: string;
  readonly part: string;
  /** Epoch ms by which this part must be done: its own deadline capped by the endpoint's. */
  readonly deadline: number;
  /** Aborted at the part's deadline, when a required sibling fails, or when the inbound request goes away. */
  readonly signal: AbortSignal;
  /** `{ deadline, signal }` to spread into an http-client call: `client.get(path, { ...ctx.call, query })`. */
  readonly call: PartCallOptions;
}

export interface PartSpec<I, T, N, C> {
  /** The dependency (http-client name) this part calls; its client is handed to `call`. */
  dependency: string;
  /** This part's own budget (ms), counted from when it starts; never more than the endpoint's. */
  deadlineMs: number;
  policy: PartPolicy;
  /** Parts whose values this part needs; it starts when they are done. */
  needs?: readonly string[];
  /** optional (required) / stale-allowed (optional): the value served when the part fails. */
  fallback?: () => T;
  /** stale-allowed: how old a last good value may be. */
  maxStaleMs?: number;
  /** stale-allowed: whose value it is (e.g. the tenant, or the user): values are only reused under the same key. */
  staleKey?: (input: I) => string;
  call: (client: C, context: PartContext<I>, needs: N) => Promise<T>;
}

/** A part with its name, as the endpoint holds it (types erased). */
export interface PartDefinition<I = unknown, C = unknown> extends PartSpec<I, unknown, Record<string, unknown>, C> {
  readonly name: string;
}

/** How a part ended: `fresh` (its call answered), `fallback`, `stale`, `failed`, `cancelled` (a required sibling failed first). */
export type PartStatus = 'fresh' | 'fallback' | 'stale' | 'failed' | 'cancelled';

/** Why a part did not answer. */
export type PartFailureReason = 'timeout' | 'error';

/** One dropped or stale part of a partial response (DESIGN.md §4). */
export interface PartWarning {
  /** `<part>-unavailable`. */
  code: string;
  part: string;
  /** What was served instead of a fresh value. */
  served: 'fallback' | 'stale';
  reason: PartFailureReason;
  /** For `served: 'stale'`: how old the value is, in whole seconds. */
  ageSeconds?: number;
}

export interface ShapeMeta {
  readonly partial: boolean;
  readonly outcomes: Readonly<Record<string, PartStatus>>;
}

export interface Composition<O> {
  /** The shaped DTO, with `warnings` added when partial. */
  body: O & { warnings?: PartWarning[] };
  partial: boolean;
  warnings: PartWarning[];
  outcomes: Record<string, PartStatus>;
}

export interface RunOptions {
  /** The inbound request's signal; default: the request context's. */
  signal?: AbortSignal;
  /** The inbound request's deadline (epoch ms); default: the request context's. */
  deadline?: number;
}
