import type { OpenAPIObject } from '@nestjs/swagger';
import { undocumentedRoutes } from './configure-partner-api';
import { PublishedSchema } from './contract/published-schema';

describe('undocumentedRoutes', () => {
  it('names every partner route the OpenAPI document lacks (the app refuses to start with any)', () => {
    const schema = new PublishedSchema();
    schema.install({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/partner/v1/things/{id}': { get: { responses: {} } } } } as unknown as OpenAPIObject);
    expect(
      undocumentedRoutes(
        [
          { method: ['GET', 'HEAD'], url: '/partner/v1/things/:id' },
          { method: 'POST', url: '/partner/v1/things' },
          { method: 'GET', url: '/partner/v2/things/:id' },
          { method: 'GET', url: '/partner/openapi.json' },
          { method: 'GET', url: '/healthz' },
        ],
        schema,
      ),
    ).toEqual(['POST /partner/v1/things', 'GET /partner/v2/things/:id']);
  });
});
