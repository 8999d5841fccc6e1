import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { WebApiController } from '../api/web-api.controller';
import { WebAuthController } from '../auth/web-auth.controller';
import { SpaController } from '../spa/spa.controller';
import { WEB_ROUTE_METADATA } from './web-route';

const controllers = [WebAuthController, WebApiController, SpaController];

/** Convention (Duende's ConventionTests): every bff-web route states its kind, so its defences are explicit. */
describe('bff-web routes', () => {
  const routes = controllers.flatMap((controller) =>
    Object.getOwnPropertyNames(controller.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => ({ controller, name, handler: (controller.prototype as unknown as Record<string, unknown>)[name] as object }))
      .filter((r) => typeof r.handler === 'function' && Reflect.getMetadata(PATH_METADATA, r.handler) !== undefined),
  );

  it('are all found (the convention is checking something)', () => {
    expect(routes.length).toBeGreaterThanOrEqual(11);
  });

  it.each(controllers.map((c) => [c.name, c]))('%s: every route has a web route kind and lives under /web', (_name, controller) => {
    expect(String(Reflect.getMetadata(PATH_METADATA, controller))).toMatch(/^web(\/|$)/);
    for (const route of routes.filter((r) => r.controller === controller)) {
      const kind = Reflect.getMetadata(WEB_ROUTE_METADATA, route.handler) ?? Reflect.getMetadata(WEB_ROUTE_METADATA, controller);
      expect({ route: route.name, kind }).toEqual({ route: route.name, kind: expect.stringMatching(/^(page|api|session-info|form|back-channel)$/) });
    }
  });

  it('pages are GET only; state-changing routes are api, form or back-channel', () => {
    for (const route of routes) {
      const kind = Reflect.getMetadata(WEB_ROUTE_METADATA, route.handler) ?? Reflect.getMetadata(WEB_ROUTE_METADATA, route.controller);
      const method = Reflect.getMetadata(METHOD_METADATA, route.handler) as number;
      // RequestMethod.GET is 0.
      if (kind === 'page') expect({ route: route.name, method }).toEqual({ route: route.name, method: 0 });
      if (method !== 0) expect(['api', 'form', 'back-channel']).toContain(kind);
    }
  });
});
