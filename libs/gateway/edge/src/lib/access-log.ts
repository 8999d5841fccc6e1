import type { Logger } from 'pino';

export interface AccessRecord {
  requestId: string;
  traceId: string;
  method: string;
  path: string;
  route: string | undefined;
  cluster: string | undefined;
  destination: string | undefined;
  status: number;
  durationMs: number;
  upstreamMs: number | undefined;
  bytesIn: number;
  bytesOut: number;
  attempts: number;
  breaker: string | undefined;
  clientIp: string;
  error: string | undefined;
  notes?: Record<string, string | number | boolean>;
}

/**
 * One line per request, written after the response finished. Only the path is logged
 * (queries may carry credentials); no headers, tokens, cookies or keys.
 */
export function writeAccessLog(log: Logger, record: AccessRecord): void {
  if (record.status >= 500) log.warn(record, 'request');
  else log.info(record, 'request');
}
