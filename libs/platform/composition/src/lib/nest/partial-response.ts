import type { Composition } from '../endpoint-spec';

const compositions = new WeakMap<object, Composition<object>>();

/** Remembers which composition a response body came from (for interceptors: headers, caching). */
export function markComposed<O extends object>(composition: Composition<O>): Composition<O>['body'] {
  compositions.set(composition.body, composition as Composition<object>);
  return composition.body;
}

/** The composition a body returned by `BffComposer.respond` came from, if any. */
export function compositionOf(body: unknown): Composition<object> | undefined {
  return typeof body === 'object' && body !== null ? compositions.get(body) : undefined;
}

/** True for a body that `BffComposer.respond` served partial (never cache it, never ETag it). */
export function isPartialResponse(body: unknown): boolean {
  return compositionOf(body)?.partial === true;
}

export const PARTIAL_RESPONSE_HEADER = 'partial-response';
