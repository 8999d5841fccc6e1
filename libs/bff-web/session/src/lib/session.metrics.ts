import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';

/** Session lifecycle (created, ended:<reason>): bounded labels, no ids. */
export const sessionEvents = new Counter({
  name: 'bff_web_session_events_total',
  help: 'Browser sessions created and ended, by event',
  labelNames: ['event'] as const,
  registers: [metricsRegistry],
});

/** Token refreshes by outcome: refreshed (this instance called the IdP), joined (waited for another), rejected, failed. */
export const sessionRefreshes = new Counter({
  name: 'bff_web_token_refresh_total',
  help: 'Access token refreshes of browser sessions, by outcome',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});
