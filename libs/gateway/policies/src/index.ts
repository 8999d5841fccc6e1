export * from './lib/exchange';
export * from './lib/policy-engine';
export { createPolicyEngine, type PolicyEngineDeps, type EdgePolicyEngine, type CachePurge } from './lib/create-policy-engine';
export { commitHead, writeResponse, addResponseHeader, finalHeaders } from './lib/respond';
export { isPreflight, routingMethod } from './lib/edge/cors.stage';
export type { UpstreamFetch, UpstreamFetchOptions, UpstreamFetchResult } from './lib/cache/upstream-fetch';
export { policyMetrics } from './lib/metrics';
