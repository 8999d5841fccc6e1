import { Logger } from '@nestjs/common';
import { currentRequestContext, untilAborted } from '@edge/observability';
import { isProblemException, problem } from '@edge/problem-details';
import { partOutcomes, partialResponses } from './composition.metrics';
import type { Composition, PartDefinition, PartFailureReason, PartStatus, PartWarning, RunOptions, ShapeMeta } from './endpoint-spec';
import { LastGoodValues } from './last-good-values';
import { PartAborted } from './part-abort';
import { CompositionConfigError, endpointProblems, topologicalOrder } from './validate-endpoint';

export interface EndpointOptions {
  /** The whole endpoint's budget (ms), capped by the inbound request's own deadline. */
  deadlineMs: number;
  /** Bound on remembered last good values (stale-allowed parts), per endpoint. Default 1000. */
  staleEntries?: number;
}

type Shape<I, O> = (values: Record<string, unknown>, input: I, meta: ShapeMeta) => O;

/** What one part ended with. Only `fresh`, `fallback` and `stale` carry a value. */
type PartResult =
  | { status: 'fresh'; value: unknown }
  | { status: 'fallback'; value: unknown; reason: PartFailureReason }
  | { status: 'stale'; value: unknown; reason: PartFailureReason; ageMs: number }
  | { status: 'failed'; error: unknown }
  | { status: 'cancelled' };

interface RunState<I> {
  input: I;
  deadline: number;
  controller: AbortController;
  results: Map<string, Promise<PartResult>>;
  /** The first required part that failed: its error is the request's. */
  failure?: { part: string; error: unknown };
}

const logger = new Logger('Composition');

function reasonOf(error: unknown): PartFailureReason {
  if (error instanceof PartAborted) return error.why === 'deadline' ? 'timeout' : 'error';
  return isProblemException(error) && error.status === 504 ? 'timeout' : 'error';
}

/** The request's error when a required part failed: its own problem, or 504 when it ran out of time. */
function requestError(part: string, error: unknown): unknown {
  if (isProblemException(error)) return error;
  if (error instanceof PartAborted) {
    return problem('gateway-timeout', { detail: 'A required part of the response did not arrive within the deadline.', cause: error });
  }
  return error instanceof Error ? error : new Error(`part ${part} failed: ${String(error)}`);
}

/**
 * A client-shaped endpoint (declared once, at start-up, with `defineBffEndpoint`): parts run
 * in parallel — a part that needs others starts when they are done — each within its own
 * deadline and the endpoint's; `shape` turns their values into the client's DTO. Bind it to
 * the dependencies' clients (`bind`) before running it.
 */
export class BffEndpoint<I, O extends object, C> {
  readonly name: string;
  readonly deadlineMs: number;
  readonly parts: readonly PartDefinition<I, C>[];
  private readonly order: readonly PartDefinition<I, C>[];
  private readonly lastGood: LastGoodValues;

  constructor(
    name: string,
    options: EndpointOptions,
    parts: readonly PartDefinition<I, C>[],
    private readonly shapeFn: Shape<I, O>,
  ) {
    const problems = endpointProblems(name, options.deadlineMs, parts as readonly PartDefinition[]);
    if (problems.length > 0) throw new CompositionConfigError(problems);
    this.name = name;
    this.deadlineMs = options.deadlineMs;
    this.parts = Object.freeze([...parts]);
    this.order = Object.freeze(topologicalOrder(parts as readonly PartDefinition[]) as PartDefinition<I, C>[]);
    this.lastGood = new LastGoodValues(options.staleEntries ?? 1000);
  }

  /** The dependencies this endpoint calls (http-client names). */
  get dependencies(): string[] {
    return [...new Set(this.parts.map((p) => p.dependency))];
  }

  /** Problems binding this endpoint: every dependency without a client. */
  bindingProblems(resolve: (dependency: string) => C | undefined): string[] {
    return this.parts.filter((p) => resolve(p.dependency) === undefined).map((p) => `${this.name}.${p.name}: unknown dependency "${p.dependency}" (no http client of that name)`);
  }

  /** The endpoint with its clients, ready to run; throws CompositionConfigError listing unknown dependencies. */
  bind(resolve: (dependency: string) => C | undefined): BoundBffEndpoint<I, O> {
    const problems = this.bindingProblems(resolve);
    if (problems.length > 0) throw new CompositionConfigError(problems);
    const clients = new Map(this.parts.map((p) => [p.dependency, resolve(p.dependency) as C]));
    return { name: this.name, run: (input, options) => this.run(clients, input, options) };
  }

  private async run(clients: ReadonlyMap<string, C>, input: I, options: RunOptions = {}): Promise<Composition<O>> {
    const context = currentRequestContext();
    const now = Date.now();
    const inboundDeadline = options.deadline ?? context?.deadline ?? Infinity;
    const inbound = options.signal ?? context?.signal;
    const state: RunState<I> = { input, deadline: Math.min(now + this.deadlineMs, inboundDeadline), controller: new AbortController(), results: new Map() };
    const onInboundAbort = () => state.controller.abort(new PartAborted('request-aborted'));
    if (inbound?.aborted) onInboundAbort();
    else inbound?.addEventListener('abort', onInboundAbort, { once: true });
    try {
      for (const part of this.order) state.results.set(part.name, this.runPart(part, clients.get(part.dependency) as C, state));
      const settled = await Promise.allSettled(this.order.map((p) => state.results.get(p.name) as Promise<PartResult>));
      return this.compose(settled, state);
    } finally {
      inbound?.removeEventListener('abort', onInboundAbort);
    }
  }

  private compose(settled: PromiseSettledResult<PartResult>[], state: RunState<I>): Composition<O> {
    const values: Record<string, unknown> = {};
    const outcomes: Record<string, PartStatus> = {};
    const warnings: PartWarning[] = [];
    settled.forEach((entry, i) => {
      const part = this.order[i] as PartDefinition<I, C>;
      // runPart never rejects: a rejection here is a bug in this library, not a part failure.
      if (entry.status === 'rejected') throw entry.reason;
      const result = entry.value;
      outcomes[part.name] = result.status;
      partOutcomes.inc({ endpoint: this.name, part: part.name, outcome: result.status });
      switch (result.status) {
        case 'fresh':
          values[part.name] = result.value;
          return;
        case 'fallback':
          values[part.name] = result.value;
          warnings.push({ code: `${part.name}-unavailable`, part: part.name, served: 'fallback', reason: result.reason });
          return;
        case 'stale':
          values[part.name] = result.value;
          warnings.push({ code: `${part.name}-unavailable`, part: part.name, served: 'stale', reason: result.reason, ageSeconds: Math.floor(result.ageMs / 1000) });
          return;
        case 'failed':
        case 'cancelled':
          return;
        default: {
          const never: never = result;
          throw new Error(`unknown part result ${JSON.stringify(never)}`);
        }
      }
    });
    if (state.failure !== undefined) throw requestError(state.failure.part, state.failure.error);
    const partial = warnings.length > 0;
    const shaped = this.shapeFn(values, state.input, { partial, outcomes });
    if (!partial) return { body: shaped, partial, warnings, outcomes };
    partialResponses.inc({ endpoint: this.name });
    return { body: { ...shaped, warnings }, partial, warnings, outcomes };
  }

  private async runPart(part: PartDefinition<I, C>, client: C, state: RunState<I>): Promise<PartResult> {
    const needs: Record<string, unknown> = {};
    for (const need of part.needs ?? []) {
      const result = await (state.results.get(need) as Promise<PartResult>);
      if (result.status === 'failed' || result.status === 'cancelled') return { status: 'cancelled' };
      needs[need] = result.value;
    }
    const endpointSignal = state.controller.signal;
    if (endpointSignal.aborted && (endpointSignal.reason as PartAborted).why === 'sibling-failed') return { status: 'cancelled' };
    const started = Date.now();
    const deadline = Math.min(started + part.deadlineMs, state.deadline);
    const controller = new AbortController();
    const onEndpointAbort = () => controller.abort(endpointSignal.reason);
    let timer: NodeJS.Timeout | undefined;
    if (endpointSignal.aborted) onEndpointAbort();
    else endpointSignal.addEventListener('abort', onEndpointAbort, { once: true });
    if (deadline <= started) controller.abort(new PartAborted('deadline'));
    else timer = setTimeout(() => controller.abort(new PartAborted('deadline')), deadline - started);
    try {
      const signal = controller.signal;
      if (signal.aborted) throw signal.reason;
      const context = { input: state.input, endpoint: this.name, part: part.name, deadline, signal, call: { deadline, signal } };
      const value = await untilAborted(Promise.resolve().then(() => part.call(client, context, needs)), signal);
      if (part.policy === 'stale-allowed') this.lastGood.remember(this.staleKey(part, state.input), value, Date.now());
      return { status: 'fresh', value };
    } catch (error) {
      return this.failed(part, error, state);
    } finally {
      clearTimeout(timer);
      endpointSignal.removeEventListener('abort', onEndpointAbort);
    }
  }

  /** Applies the part's policy to its failure. */
  private failed(part: PartDefinition<I, C>, error: unknown, state: RunState<I>): PartResult {
    if (error instanceof PartAborted && error.why === 'sibling-failed') return { status: 'cancelled' };
    const reason = reasonOf(error);
    this.log(part, reason, error);
    if (part.policy === 'stale-allowed') {
      const stale = this.lastGood.recall(this.staleKey(part, state.input), part.maxStaleMs as number, Date.now());
      if (stale !== undefined) return { status: 'stale', value: stale.value, reason, ageMs: stale.ageMs };
    }
    if (part.fallback !== undefined) return { status: 'fallback', value: part.fallback(), reason };
    if (state.failure === undefined) {
      state.failure = { part: part.name, error };
      // The response cannot be served: stop the siblings instead of waiting for them.
      state.controller.abort(new PartAborted('sibling-failed'));
    }
    return { status: 'failed', error };
  }

  private staleKey(part: PartDefinition<I, C>, input: I): string {
    return `${part.name}\0${(part.staleKey as (input: I) => string)(input)}`;
  }

  private log(part: PartDefinition<I, C>, reason: PartFailureReason, error: unknown): void {
    const event = { endpoint: this.name, part: part.name, dependency: part.dependency, policy: part.policy, reason, err: error };
    const message = `part ${this.name}.${part.name} (${part.dependency}) failed: ${reason}`;
    // A required part's 4xx is the client's answer (e.g. someone else's order), not an incident.
    if (isProblemException(error) && error.status < 500) logger.debug(event, message);
    else if (isProblemException(error) || error instanceof PartAborted) logger.warn(event, message);
    else logger.error(event, message);
  }
}

/** An endpoint bound to its clients. */
export interface BoundBffEndpoint<I, O extends object> {
  readonly name: string;
  run(input: I, options?: RunOptions): Promise<Composition<O>>;
}
