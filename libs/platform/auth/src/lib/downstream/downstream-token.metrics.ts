import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';

/**
 * Downstream token look-ups by dependency (configured names only) and how they were served:
 * forwarded, cache-hit, exchanged (this call ran the exchange), coalesced (joined one in
 * flight), failed.
 */
export const downstreamTokenRequests = new Counter({
  name: 'downstream_token_requests_total',
  help: 'Downstream tokens handed to outbound calls, by dependency and how they were obtained',
  labelNames: ['dependency', 'result'] as const,
  registers: [metricsRegistry],
});

export type DownstreamTokenResult = 'forwarded' | 'cache-hit' | 'exchanged' | 'coalesced' | 'failed' | 'anonymous';
