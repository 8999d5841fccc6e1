import pino from 'pino';

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

export type AccessLog = (record: AccessRecord) => void;

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * One JSON line per request, in the same shape as the apps' pino lines (level, time,
 * service, msg), written by hand: the record has a fixed shape built from non-secret fields
 * (only the path is logged — queries may carry credentials; no headers, tokens, cookies or
 * keys), so no serializer or redaction pass runs per line. Lines are buffered (one write per
 * ~4 KiB or per second) and flushed on exit.
 */
export function createAccessLog(service: string, level = 'info'): AccessLog {
  const threshold = LEVELS[level] ?? 30;
  if (threshold > 40) return () => undefined;
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      /* not open yet, or closed */
    }
  });
  setInterval(() => destination.flush(), 1000).unref();
  const prefix = `,"service":${JSON.stringify(service)}`;
  return (record) => {
    const warn = record.status >= 500;
    if (!warn && threshold > 30) return;
    destination.write(`{"level":"${warn ? 'warn' : 'info'}","time":"${new Date().toISOString()}"${prefix},${JSON.stringify(record).slice(1, -1)},"msg":"request"}\n`);
  };
}
