import type { DownstreamTokenProvider } from './downstream-token.provider';

/**
 * What an outbound client tells its authorize hook (structurally @edge/http-client's
 * AuthorizeContext, so this lib need not depend on it): the inbound request's context,
 * whose `identity` is the Identity the auth guard attached, raw token included as a
 * non-enumerable property, and the call's signal.
 */
export interface AuthorizeCallContext {
  readonly request?: { readonly identity?: object } | undefined;
  readonly signal: AbortSignal;
}

/**
 * The `authorize` hook for one dependency's http client:
 *
 *   HttpClientModule.registerAsync({ name: 'orders', inject: [DownstreamTokenProvider],
 *     useFactory: (tokens: DownstreamTokenProvider) => ({ baseUrl, authorize: authorizeWith(tokens, 'orders') }) })
 *
 * Anonymous requests get no Authorization header. The dependency must have a policy: a
 * missing one fails here, at start-up, not on the first request.
 */
export function authorizeWith(provider: DownstreamTokenProvider, dependency: string): (context: AuthorizeCallContext) => Promise<string | undefined> {
  provider.policyOf(dependency);
  return (context) => provider.authorizationFor(dependency, context.request?.identity, { signal: context.signal });
}
