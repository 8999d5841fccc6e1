import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loggerOptions, requestSerializer, responseSerializer, type LoggerSettings } from './logger';
import { MetricsController } from './metrics.controller';
import { startDefaultMetrics } from './metrics';

export interface ObservabilityOptions extends LoggerSettings {
  /** One access log line per request (default true). */
  accessLog?: boolean;
  /**
   * false: pino-http binds a request logger only for Nest's own controllers — for apps whose
   * hot path is a raw Fastify route with its own access log (the gateway), where a per-request
   * child logger would be pure cost.
   */
  requestLoggerOnRawRoutes?: boolean;
}

const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * nestjs-pino for structured logs (Nest's own logger included), with the request id and
 * trace id on every line logged while serving a request, plus Prometheus metrics.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    startDefaultMetrics(options.service);
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          ...(options.requestLoggerOnRawRoutes === false ? { forRoutes: [MetricsController] } : {}),
          pinoHttp: {
            ...loggerOptions(options),
            genReqId: (req: IncomingMessage) => (req as { id?: string }).id ?? '',
            autoLogging: options.accessLog === false ? false : { ignore: (req) => quietPaths.has((req.url ?? '').split('?', 1)[0] ?? '') },
            quietReqLogger: true,
            customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            serializers: { req: requestSerializer, res: responseSerializer },
          },
        }),
      ],
      controllers: [MetricsController],
      exports: [LoggerModule],
    };
  }
}
