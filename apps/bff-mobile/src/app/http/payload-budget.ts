import { Logger } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MOBILE_PAYLOAD_BUDGETS, type PayloadBudget } from '@edge/contracts-mobile';
import { metricsRegistry } from '@edge/observability';

const budgets: ReadonlyMap<string, PayloadBudget> = new Map(Object.entries(MOBILE_PAYLOAD_BUDGETS));
const logger = new Logger('PayloadBudget');

const responseBytes = new Histogram({
  name: 'bff_mobile_response_bytes',
  help: 'Mobile API JSON response sizes before compression, by route template',
  labelNames: ['route'] as const,
  buckets: [256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536],
  registers: [metricsRegistry],
});

const exceeded = new Counter({
  name: 'bff_mobile_payload_budget_exceeded_total',
  help: 'Mobile API responses over their declared budget (bytes or downstream calls)',
  labelNames: ['route', 'budget'] as const,
  registers: [metricsRegistry],
});

export function budgetOf(routeKey: string): PayloadBudget | undefined {
  return budgets.get(routeKey);
}

/** Records one response against its route's budget; going over is logged and counted (the contract test fails on it). */
export function checkBudget(routeKey: string, bytes: number, downstreamCalls: number): void {
  const budget = budgets.get(routeKey);
  if (budget === undefined) return;
  responseBytes.observe({ route: routeKey }, bytes);
  if (bytes > budget.maxResponseBytes) {
    exceeded.inc({ route: routeKey, budget: 'bytes' });
    logger.warn({ route: routeKey, bytes, max: budget.maxResponseBytes }, `${routeKey} answered ${bytes} bytes, over its budget of ${budget.maxResponseBytes}`);
  }
  if (downstreamCalls > budget.maxDownstreamCalls) {
    exceeded.inc({ route: routeKey, budget: 'downstream-calls' });
    logger.warn({ route: routeKey, downstreamCalls, max: budget.maxDownstreamCalls }, `${routeKey} made ${downstreamCalls} downstream calls, over its budget of ${budget.maxDownstreamCalls}`);
  }
}
