import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Type } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { Logger } from 'nestjs-pino';
import { installOtlpExporterFromEnv, installRequestContext, requestIdFrom } from '@edge/observability';
import { ORIGINAL_ERROR, ProblemDetailsFilter, sendProblem } from '@edge/problem-details';
import { installGracefulShutdown } from './graceful-shutdown';
import { registerHealthRoutes } from './health.routes';
import { Readiness } from './readiness';
import { releaseStartupMemory } from './release-startup-memory';
import { serverSettings, type ServerSettings } from './server-settings';
import { refuseConnect, writeClientError } from './client-error';
import { addTokenKeysCheck } from './token-keys-readiness';

export interface EdgeAppOptions {
  /** Service name for logs and metrics. */
  service: string;
  /** Port of DESIGN.md §3, overridable by PORT. */
  defaultPort: number;
  /** The app's root module (must import ObservabilityModule.forRoot). */
  module: Type<unknown>;
  /** Extra Fastify options (trustProxy, https...). */
  fastify?: Partial<FastifyServerOptions>;
  /** Runs after Nest is created and before it listens. */
  configure?: (app: NestFastifyApplication, readiness: Readiness) => void | Promise<void>;
  env?: Record<string, string | undefined>;
  /** Extra headers on /readyz (e.g. the gateway's active config version). */
  readinessHeaders?: () => Record<string, string>;
}

export interface RunningApp {
  app: NestFastifyApplication;
  fastify: FastifyInstance;
  readiness: Readiness;
  settings: ServerSettings;
  url: string;
  /** Same as receiving SIGTERM, without exiting the process (tests). */
  shutdown: () => Promise<void>;
}

/** Fastify settings every app shares: request ids, bounded params and bodies, parser errors as problems. */
export function createFastify(settings: ServerSettings, extra: Partial<FastifyServerOptions> = {}): FastifyInstance {
  return Fastify({
    logger: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    requestIdHeader: false,
    bodyLimit: settings.BODY_LIMIT_BYTES,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 256, caseSensitive: true, ignoreTrailingSlash: false },
    clientErrorHandler: writeClientError,
    // URLs the router refuses before any route or hook (bad percent-encoding, a path
    // parameter over maxParamLength): problem+json, not Fastify's own JSON with its codes.
    frameworkErrors: (error: Error, request: { id: string; url: string }, reply: { raw: ServerResponse }) => {
      sendProblem(reply.raw, error, { requestId: request.id, instance: request.url.split('?', 1)[0] });
    },
    ...extra,
  } as FastifyServerOptions) as unknown as FastifyInstance;
}

/**
 * Starts a Nest app on Fastify the way every app here runs: problem+json errors, request
 * context and metrics, health routes, and a SIGTERM drain; start-up's garbage is returned to
 * the OS before it listens. Returns once listening.
 */
export async function startEdgeApp(options: EdgeAppOptions): Promise<RunningApp> {
  const settings = serverSettings(options.defaultPort, options.env);
  const readiness = new Readiness();
  const spans = installOtlpExporterFromEnv(options.service, options.env ?? process.env);
  const fastify = createFastify(settings, options.fastify);
  fastify.server.on('connect', refuseConnect);
  installRequestContext(fastify, { maxBudgetMs: settings.REQUEST_BUDGET_MS });
  registerHealthRoutes(fastify, readiness, options.readinessHeaders);
  fastify.addHook('onError', (request, _reply, error, done) => {
    (request as unknown as Record<symbol, unknown>)[ORIGINAL_ERROR] = error;
    done();
  });

  const app = await NestFactory.create<NestFastifyApplication>(options.module, new FastifyAdapter(fastify as never), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(
    new ProblemDetailsFilter((request) => ({
      requestId: request.id,
      traceId: request.edgeContext?.trace.traceId,
      instance: request.url.split('?', 1)[0],
    })),
  );
  addTokenKeysCheck(app, readiness);
  await options.configure?.(app, readiness);
  releaseStartupMemory();
  await app.listen({ port: settings.PORT, host: settings.HOST });
  readiness.markReady();

  const logger = app.get(Logger);
  const shutdown = installGracefulShutdown(
    readiness,
    {
      closeServer: () => fastify.close(),
      cleanup: async () => {
        await app.close();
        await spans?.shutdown();
      },
      forceClose: () => fastify.server.closeAllConnections(),
    },
    {
      drainDelayMs: settings.SHUTDOWN_DRAIN_DELAY_MS,
      graceMs: settings.SHUTDOWN_GRACE_MS,
      log: (m) => logger.log(m, 'Shutdown'),
    },
  );
  const address = fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : settings.PORT;
  const url = `http://${settings.HOST.includes(':') ? `[${settings.HOST}]` : settings.HOST}:${port}`;
  logger.log(`${options.service} listening on ${url}`, 'Bootstrap');
  return { app, fastify, readiness, settings, url, shutdown };
}
