export { HttpClient, type HttpMethod, type HttpResponse, type HttpStreamResponse, type RequestOptions } from './lib/http-client';
export { HttpClientModule, httpClientToken, InjectHttpClient, type HttpClientAsyncOptions } from './lib/http-client.module';
export {
  HttpClientConfigError,
  type AuthorizeContext,
  type AuthorizeHook,
  type BreakerOptions,
  type BulkheadOptions,
  type HttpClientOptions,
  type RetryOptions,
} from './lib/http-client.options';
export { isUpstreamError, UnsafeRequestError, UpstreamError, type UpstreamAnswer, type UpstreamFailureKind, type UpstreamFieldError } from './lib/upstream-error';
export type { BreakerState } from './lib/breaker';
export type { PathParams, QueryParams, QueryValue } from './lib/safe-url';
