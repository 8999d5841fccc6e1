import { collectDefaultMetrics, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram';

/**
 * One Prometheus registry per process. Labels are bounded: the route *template*
 * (never a raw path, which would explode cardinality) and the status class.
 */
export const metricsRegistry = new Registry();
let defaultsStarted = false;

export function startDefaultMetrics(service: string): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

// Observed on every request of every app: the allocation-free histogram (see fast-histogram.ts).
export const httpServerDuration = new FastHistogram({
  name: 'http_server_request_duration_seconds',
  help: 'Duration of inbound HTTP requests, by route template and status class',
  labelNames: ['method', 'route', 'status_class'],
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [metricsRegistry],
});

const statusClasses = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];
export function statusClass(status: number): string {
  return statusClasses[Math.floor(status / 100)] ?? 'other';
}

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Methods are bounded too: arbitrary tokens from clients become "other". */
export function methodLabel(method: string): string {
  return knownMethods.has(method) ? method : 'other';
}

const resendCounts = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
/** The `resend_count` label: 0 for a first attempt, 1 for the first retry… "9" for nine or more (bounded, no string built per call). */
export function resendCountLabel(resendCount: number): string {
  return resendCounts[Math.min(Math.max(resendCount, 0), 9)] as string;
}

export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpServerDuration.observe(seconds, methodLabel(method), route, statusClass(status));
}
