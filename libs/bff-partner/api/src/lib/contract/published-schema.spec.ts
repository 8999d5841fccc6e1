import type { OpenAPIObject } from '@nestjs/swagger';
import { isProblemException } from '@edge/problem-details';
import { PublishedSchema, routeTemplate } from './published-schema';

const document = {
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/things': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } },
          { name: 'after', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } },
        ],
        responses: {},
      },
      post: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewThing' } } } }, responses: {} },
    },
    '/things/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^t_[0-9]+$' } }], responses: {} } },
  },
  components: {
    schemas: {
      NewThing: { type: 'object', additionalProperties: false, required: ['lines'], properties: { lines: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/Line' } } } },
      Line: { type: 'object', additionalProperties: false, required: ['sku'], properties: { sku: { type: 'string' }, kind: { type: 'string', enum: ['a', 'b'] } } },
    },
  },
} as unknown as OpenAPIObject;

function errorsOf(fn: () => void): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!isProblemException(error)) throw error;
    expect([error.status, error.code]).toEqual([400, 'validation-failed']);
    return error.extensions['errors'];
  }
}

describe('PublishedSchema', () => {
  const schema = new PublishedSchema();
  schema.install(document);

  it('maps OpenAPI paths to router templates and knows what is documented', () => {
    expect(routeTemplate('/a/{id}/b/{other}')).toBe('/a/:id/b/:other');
    expect(schema.isDocumented('GET', '/things/:id')).toBe(true);
    expect(schema.isDocumented('DELETE', '/things/:id')).toBe(false);
    expect(() => schema.validate('DELETE', '/things/:id', {})).toThrow('not in the published OpenAPI document');
  });

  it('accepts valid requests, coercing query text to the documented types', () => {
    const query = { limit: '5', after: '2026-05-01T00:00:00Z' };
    schema.validate('GET', '/things', { query });
    expect(query.limit).toBe(5);
    schema.validate('POST', '/things', { body: { lines: [{ sku: 'x', kind: 'a' }] } });
    schema.validate('GET', '/things/:id', { params: { id: 't_1' } });
  });

  it('lists every invalid and unknown field of a body, with paths into arrays', () => {
    expect(errorsOf(() => schema.validate('POST', '/things', { body: { lines: [{ sku: 1 }, { kind: 'c', extra: true }], more: 1 } }))).toEqual([
      { field: 'more', detail: 'is not a known field' },
      { field: 'lines[0].sku', detail: 'must be string' },
      { field: 'lines[1].sku', detail: 'is required' },
      { field: 'lines[1].extra', detail: 'is not a known field' },
      { field: 'lines[1].kind', detail: 'must be one of a, b' },
    ]);
    expect(errorsOf(() => schema.validate('POST', '/things', { body: [] }))).toEqual([{ field: '(body)', detail: 'must be object' }]);
  });

  it('refuses unknown query parameters, bad values and bad path segments', () => {
    expect(errorsOf(() => schema.validate('GET', '/things', { query: { limit: '0', after: 'soon', sort: 'x' } }))).toEqual([
      { field: 'sort', detail: 'is not a known field' },
      { field: 'limit', detail: 'must be >= 1' },
      { field: 'after', detail: 'must match format "date-time"' },
    ]);
    expect(errorsOf(() => schema.validate('GET', '/things/:id', { params: { id: '../x' } }))).toEqual([{ field: 'id', detail: 'must match pattern "^t_[0-9]+$"' }]);
  });
});
