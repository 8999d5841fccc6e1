import type { FieldError } from '../validation/field-errors';

export type FaultMode = 'hang' | 'reset' | 'garbage';

/** What `PUT /__faults` sets (DESIGN.md §3). */
export interface FaultSettings {
  /** Delay before anything else happens. */
  latencyMs: number;
  /** Share of requests answered with `status`. */
  errorRate: number;
  /** 5xx status of injected errors (default 503). */
  status: number;
  mode: FaultMode | null;
}

export const MAX_FAULT_LATENCY_MS = 300_000;
const KNOWN = new Set(['latencyMs', 'errorRate', 'status', 'mode']);
const MODES: readonly FaultMode[] = ['hang', 'reset', 'garbage'];

/** Validates a PUT /__faults body; every problem is reported. */
export function parseFaultSettings(body: unknown): { settings: FaultSettings } | { errors: FieldError[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { errors: [{ field: '(body)', detail: 'must be a JSON object' }] };
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) if (!KNOWN.has(key)) errors.push({ field: key, detail: 'is not a known field' });
  const { latencyMs = 0, errorRate = 0, status = 503, mode = null } = input;
  if (typeof latencyMs !== 'number' || !Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > MAX_FAULT_LATENCY_MS) {
    errors.push({ field: 'latencyMs', detail: `must be an integer between 0 and ${MAX_FAULT_LATENCY_MS}` });
  }
  if (typeof errorRate !== 'number' || !Number.isFinite(errorRate) || errorRate < 0 || errorRate > 1) {
    errors.push({ field: 'errorRate', detail: 'must be a number between 0 and 1' });
  }
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599) {
    errors.push({ field: 'status', detail: 'must be an integer between 500 and 599' });
  }
  if (mode !== null && !MODES.includes(mode as FaultMode)) errors.push({ field: 'mode', detail: `must be one of ${MODES.join(', ')} or null` });
  if (errors.length > 0) return { errors };
  return { settings: { latencyMs: latencyMs as number, errorRate: errorRate as number, status: status as number, mode: mode as FaultMode | null } };
}
