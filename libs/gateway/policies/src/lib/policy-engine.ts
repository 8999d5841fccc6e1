import type { Exchange, StageResult } from './exchange';

/**
 * The edge policies of one config version, in the order the proxy handler runs them:
 *  1. beforeAuth — IP rules, request deny rules, CORS (preflights answered here, CORS
 *     response headers registered for the rest): cheap refusals before any crypto.
 *  2. (the handler authenticates: JWT policy of the route, scopes, API-key passthrough)
 *  3. afterAuth — rate limits and quotas (keys need the identity), cache lookup (a hit is
 *     answered here; a miss registers the cache writer as a response filter).
 *  4. (the handler forwards, or runs the aggregate) — response filters registered by the
 *     stages (transforms, security headers, compression, cache store) see the head and body.
 */
export interface PolicyEngine {
  beforeAuth(exchange: Exchange): StageResult | Promise<StageResult>;
  afterAuth(exchange: Exchange): StageResult | Promise<StageResult>;
  /** Releases timers and stores of this engine (after a reload, or at shutdown). */
  close(): Promise<void>;
}
