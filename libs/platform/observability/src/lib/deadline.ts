/**
 * Deadline propagation (DESIGN.md §4). Each hop forwards the *remaining* budget as a
 * relative timeout (`request-timeout-ms`), which needs no clock agreement between hosts;
 * an absolute `request-deadline` (epoch ms) from a caller is honoured too.
 */
export const REQUEST_TIMEOUT_HEADER = 'request-timeout-ms';
export const REQUEST_DEADLINE_HEADER = 'request-deadline';

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The deadline (epoch ms) for an inbound request: the smaller of the app's own budget and
 * whatever the caller asked for. Garbage values are ignored (they cannot extend the budget).
 */
export function inboundDeadline(
  headers: Record<string, string | string[] | undefined>,
  now: number,
  maxBudgetMs: number,
): number {
  let deadline = now + maxBudgetMs;
  const relative = single(headers[REQUEST_TIMEOUT_HEADER]);
  if (relative !== undefined && /^\d{1,9}$/.test(relative)) deadline = Math.min(deadline, now + Number(relative));
  const absolute = single(headers[REQUEST_DEADLINE_HEADER]);
  if (absolute !== undefined && /^\d{13}$/.test(absolute)) deadline = Math.min(deadline, Number(absolute));
  return deadline;
}

export function remainingMs(deadline: number, now: number = Date.now()): number {
  return Math.max(0, deadline - now);
}
