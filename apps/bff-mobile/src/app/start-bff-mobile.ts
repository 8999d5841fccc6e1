import type { FastifyInstance } from 'fastify';
import { MOBILE_OPENAPI_PATH } from '@edge/contracts-mobile';
import { startEdgeApp, type RunningApp } from '@edge/server';
import { appModule, MobileApiModule } from './app.module';
import { installAppVersionGate } from './http/app-version.hook';
import { installResponseHooks } from './http/response-hooks';
import { mobileOpenApi } from './openapi/mobile-openapi';
import { DEFAULT_PORT, mobileSettings } from './settings/mobile-settings';

/** Starts bff-mobile (port 3002 unless PORT says otherwise). */
export async function startBffMobile(env: Record<string, string | undefined> = process.env): Promise<RunningApp> {
  const settings = mobileSettings(env);
  return startEdgeApp({
    service: 'bff-mobile',
    defaultPort: DEFAULT_PORT,
    module: appModule(settings),
    env,
    configure: (app) => {
      const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
      installAppVersionGate(fastify, settings);
      installResponseHooks(fastify);
      const document = JSON.stringify(mobileOpenApi(app, [MobileApiModule]));
      fastify.get(MOBILE_OPENAPI_PATH, (_request, reply) => {
        reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(document);
      });
    },
  });
}
