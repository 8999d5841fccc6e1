import { Module, type Type } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { AuthModule } from '@edge/auth';
import { ObservabilityModule } from '@edge/observability';
import { serverSettings, startEdgeApp, type RunningApp } from '@edge/server';
import { installFaultInjection } from '../faults/fault-injection';
import { FaultState } from '../faults/fault-state';
import { FaultsController } from '../faults/faults.controller';
import { demoValidationPipe } from '../validation/validation-pipe';
import { createOpenApiDocument, serveOpenApi } from './openapi';
import { demoSettings } from './demo-settings';

export interface DemoServiceOptions {
  /** Service name for logs and metrics, e.g. demo-orders. */
  service: string;
  /** DESIGN.md §3 port (PORT overrides). */
  defaultPort: number;
  /** The only token audience this service accepts, e.g. orders-api. */
  audience: string;
  /** The service's feature module (controllers and providers). */
  module: Type<unknown>;
  openApi: { title: string; description: string };
  env?: Record<string, string | undefined>;
}

/**
 * How every demo service starts: @edge/server's Fastify app with observability, the global
 * JWT guard for its own audience, strict DTO validation, `/openapi.json`, and fault
 * injection when FAULTS_ENABLED=true.
 */
export async function startDemoService(options: DemoServiceOptions): Promise<RunningApp> {
  const env = options.env ?? process.env;
  const settings = demoSettings(env);
  const server = serverSettings(options.defaultPort, env);

  @Module({
    imports: [
      ObservabilityModule.forRoot({ service: options.service, level: server.LOG_LEVEL }),
      AuthModule.forRoot({
        issuer: settings.OIDC_ISSUER,
        audience: options.audience,
        ...(settings.OIDC_JWKS_URI ? { jwksUri: settings.OIDC_JWKS_URI } : {}),
      }),
      options.module,
    ],
    controllers: settings.FAULTS_ENABLED ? [FaultsController] : [],
    providers: [FaultState],
  })
  class DemoServiceModule {}

  return startEdgeApp({
    service: options.service,
    defaultPort: options.defaultPort,
    module: DemoServiceModule,
    env,
    configure: (app) => {
      const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
      if (settings.FAULTS_ENABLED) installFaultInjection(fastify, app.get(FaultState));
      app.useGlobalPipes(demoValidationPipe());
      serveOpenApi(fastify, createOpenApiDocument(app, { ...options.openApi, include: [options.module] }));
    },
  });
}

/** For main.ts: starts the service, or says why it could not and exits 1. */
export function runDemoService(options: DemoServiceOptions): void {
  startDemoService(options).catch((error: unknown) => {
    process.stderr.write(`${options.service} failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
