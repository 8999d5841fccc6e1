import { OpenApiContract } from './openapi-contract';

const document = {
  openapi: '3.1.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '404': { content: { 'application/problem+json': { schema: { type: 'object', properties: { status: { type: 'integer' } }, required: ['status'] } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string' }, price: { $ref: '#/components/schemas/Money' } }, required: ['id'] },
      Money: { type: 'object', properties: { amount: { type: 'integer' } }, required: ['amount'], example: { amount: 1 } },
    },
  },
};

describe('OpenApiContract (the checker the contract e2e relies on)', () => {
  const contract = new OpenApiContract(document);
  const check = (status: number, type: string | undefined, body: unknown) => contract.check('GET', '/things/{id}', status, type, body);

  it('accepts an answer that matches its documented schema', () => {
    expect(check(200, 'application/json; charset=utf-8', { id: 'a', price: { amount: 3 } })).toEqual([]);
    expect(check(404, 'application/problem+json', { status: 404 })).toEqual([]);
    expect(contract.seen).toEqual(new Set(['GET /things/{id} 200', 'GET /things/{id} 404']));
  });

  it('fails on members the schema does not declare, at any depth, and on wrong types', () => {
    expect(check(200, 'application/json', { id: 'a', tenant: 'acme' })).toHaveLength(1);
    expect(check(200, 'application/json', { id: 'a', price: { amount: 3, cost: 1 } })).toHaveLength(1);
    expect(check(200, 'application/json', { id: 'a', price: { amount: '3.00' } })).toHaveLength(1);
    expect(check(404, 'application/problem+json', { status: 404, stack: 'at x' })).toHaveLength(1);
  });

  it('fails on undocumented operations, statuses and media types', () => {
    expect(contract.check('POST', '/things/{id}', 200, 'application/json', {})).toEqual(['POST /things/{id} is not in the document']);
    expect(check(500, 'application/json', {})).toEqual(['GET /things/{id} does not document status 500']);
    expect(check(200, 'text/html', '<p>')).toEqual(['GET /things/{id} 200 does not document text/html']);
  });
});
