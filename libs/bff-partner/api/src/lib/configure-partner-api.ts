import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PARTNER_OPENAPI_PATH } from '@edge/contracts-partner';
import { createPartnerOpenApi } from './contract/partner-openapi';
import { PublishedSchema } from './contract/published-schema';
import { PartnerApiModule } from './partner-api.module';
import type { PartnerSettings } from './settings/partner-settings';

interface RouteSeen {
  method: string | string[];
  url: string;
}

/** Routes of the API that the document does not describe (HEAD twins of GETs aside). */
export function undocumentedRoutes(routes: readonly RouteSeen[], schema: PublishedSchema): string[] {
  const missing: string[] = [];
  for (const route of routes) {
    if (!/^\/partner\/v\d+\//.test(route.url)) continue;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && !schema.isDocumented(method, route.url)) missing.push(`${method} ${route.url}`);
    }
  }
  return missing;
}

/**
 * Before the app listens: generate the OpenAPI 3.1 document from the controllers, compile the
 * request validation from it, serve it (anonymous) at /partner/openapi.json, and refuse to
 * start if any partner route is missing from it.
 */
export async function configurePartnerApi(app: NestFastifyApplication, settings: PartnerSettings): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const routes: RouteSeen[] = [];
  fastify.addHook('onRoute', (route) => {
    routes.push({ method: route.method, url: route.url ?? '' });
  });
  const document = createPartnerOpenApi(app, {
    tokenUrl: `${settings.OIDC_ISSUER}/token`,
    include: [PartnerApiModule],
    v1Deprecated: settings.v1Sunset !== undefined,
  });
  const schema = app.get(PublishedSchema);
  schema.install(document);
  const json = JSON.stringify(document);
  fastify.get(PARTNER_OPENAPI_PATH, (_request, reply) => {
    reply.header('cache-control', 'no-cache').type('application/json; charset=utf-8').send(json);
  });
  await app.init();
  const missing = undocumentedRoutes(routes, schema);
  if (missing.length > 0) throw new Error(`partner routes missing from the OpenAPI document: ${missing.join(', ')}`);
}
