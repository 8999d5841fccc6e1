/**
 * Downstream calls made for each inbound request (the payload budget counts them). Keyed
 * by the request context object, so nothing outlives the request.
 */
const calls = new WeakMap<object, number>();

export function countDownstreamCall(request: object | undefined): void {
  if (request !== undefined) calls.set(request, (calls.get(request) ?? 0) + 1);
}

export function downstreamCallsOf(request: object | undefined): number {
  return request === undefined ? 0 : (calls.get(request) ?? 0);
}
