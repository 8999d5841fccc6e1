import { Module } from '@nestjs/common';
import { ObservabilityModule } from '@edge/observability';

/**
 * The gateway's Nest module: logging and metrics. The proxy path itself is a raw Fastify
 * route (registered by startGateway) so that no Nest pipeline runs per proxied request.
 */
@Module({
  imports: [ObservabilityModule.forRoot({ service: 'gateway', level: (process.env['LOG_LEVEL'] as 'info' | undefined) ?? 'info', accessLog: false, requestLoggerOnRawRoutes: false })],
})
export class GatewayModule {}
