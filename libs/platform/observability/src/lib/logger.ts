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
