import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactPaths, redactUrl } from './redaction';
import { currentRequestContext } from './request-context';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface LoggerSettings {
  service: string;
  level?: LogLevel;
}

/** The pino options every app logs with: JSON, ISO time, secrets redacted, request correlation. */
export function loggerOptions(settings: LoggerSettings): LoggerOptions {
  return {
    level: settings.level ?? 'info',
    base: { service: settings.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[REDACTED]' },
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const ctx = currentRequestContext();
      return ctx ? { requestId: ctx.requestId, traceId: ctx.trace.traceId } : {};
    },
  };
}

/** For code outside Nest (dev-idp's provider, CLIs): the same format and redaction. */
export function createLogger(settings: LoggerSettings): Logger {
  return pino(loggerOptions(settings));
}

/**
 * A hot-path access logger: same format, but records are built field by field from
 * non-secret values (no redaction pass per line), and written through a buffered
 * destination (one write per ~4 KiB instead of one per line), flushed on exit.
 */
export function createAccessLogger(settings: LoggerSettings): Logger {
  const options = loggerOptions(settings);
  delete options.redact;
  delete options.mixin;
  const destination = pino.destination({ dest: 1, minLength: 4096, sync: false });
  const flush = () => {
    try {
      destination.flushSync();
    } catch {
      /* not open yet or already closed */
    }
  };
  process.once('exit', flush);
  const timer = setInterval(() => destination.flush(), 1000);
  timer.unref();
  return pino(options, destination);
}

interface RawRequest {
  id?: string;
  method?: string;
  url?: string;
  headers: Record<string, unknown>;
  socket?: { remoteAddress?: string };
}

export const requestSerializer = (req: RawRequest) => ({
  id: req.id,
  method: req.method,
  url: req.url === undefined ? undefined : redactUrl(req.url),
  remoteAddress: req.socket?.remoteAddress,
  userAgent: req.headers['user-agent'],
});

export const responseSerializer = (res: { statusCode: number }) => ({ statusCode: res.statusCode });
