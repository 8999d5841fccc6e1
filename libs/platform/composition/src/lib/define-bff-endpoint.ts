import type { HttpClient } from '@edge/http-client';
import { BffEndpoint, type EndpointOptions } from './bff-endpoint';
import type { PartDefinition, PartSpec, ShapeMeta } from './endpoint-spec';

type NoParts = Record<never, never>;

/**
 * Declares an endpoint part by part; each `part` adds its value's type, and a part may only
 * `need` parts declared before it (so its `needs` argument is typed too). `shape` closes the
 * declaration and validates it, throwing CompositionConfigError with every problem.
 */
export class BffEndpointBuilder<I, C, V extends object = NoParts> {
  constructor(
    private readonly name: string,
    private readonly options: EndpointOptions,
    private readonly parts: readonly PartDefinition<I, C>[] = [],
  ) {}

  part<K extends string, T, N extends Extract<keyof V, string> = never>(
    name: K,
    spec: PartSpec<I, T, Pick<V, N>, C> & { needs?: readonly N[] },
  ): BffEndpointBuilder<I, C, V & { [P in K]: T }> {
    const definition = { ...(spec as unknown as PartSpec<I, unknown, Record<string, unknown>, C>), name };
    return new BffEndpointBuilder<I, C, V & { [P in K]: T }>(this.name, this.options, [...this.parts, definition]);
  }

  shape<O extends object>(shape: (values: V, input: I, meta: ShapeMeta) => O): BffEndpoint<I, O, C> {
    return new BffEndpoint<I, O, C>(this.name, this.options, this.parts, shape as (values: Record<string, unknown>, input: I, meta: ShapeMeta) => O);
  }
}

/**
 * `defineBffEndpoint<Input>('mobile-home', { deadlineMs: 800 })`
 *   `.part('profile', { dependency: 'customers', deadlineMs: 400, policy: 'required', call: (c, ctx) => … })`
 *   `.part('recommendations', { dependency: 'recommendations', deadlineMs: 300, policy: 'optional', fallback: () => [], call: … })`
 *   `.shape((v, input) => dto)`
 *
 * `C` is the client type handed to each part (an @edge/http-client HttpClient by default).
 */
export function defineBffEndpoint<I = void, C = HttpClient>(name: string, options: EndpointOptions): BffEndpointBuilder<I, C> {
  return new BffEndpointBuilder<I, C>(name, options);
}
