import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';

/** Labels are declared names only (endpoint and part names are validated at start-up). */
export const partOutcomes = new Counter({
  name: 'bff_composition_part_outcomes_total',
  help: 'Composed endpoint parts by how they ended (fresh, fallback, stale, failed, cancelled)',
  labelNames: ['endpoint', 'part', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const partialResponses = new Counter({
  name: 'bff_composition_partial_responses_total',
  help: 'Composed responses served partial (an optional or stale-allowed part was replaced)',
  labelNames: ['endpoint'] as const,
  registers: [metricsRegistry],
});
