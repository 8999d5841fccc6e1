import { Validator } from '@seriousme/openapi-schema-validator';
import { OpenApiContract } from './openapi-contract';
import { call, eventually, expectProblem, startPartnerStack, type CallOptions, type PartnerStack, type Reply } from './support';

type Json = Record<string, unknown>;

const ENDPOINTS = [
  'GET /orders',
  'GET /orders/{id}',
  'POST /orders',
  'POST /orders/bulk',
  'GET /products',
  'GET /products/{id}',
  'GET /operations/{id}',
];

describe('bff-partner: the published contract', () => {
  let stack: PartnerStack;
  let document: Json;
  let contract: OpenApiContract;
  let token: string;

  /** Calls the API and checks the answer against the document (`template` names the documented path). */
  async function checked(method: string, template: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const reply = await call(`${stack.base}${path}`, { method, ...options });
    const body = reply.text === '' ? undefined : reply.json();
    expect(contract.check(method, `/partner${template}`, reply.status, reply.headers['content-type'] as string | undefined, body)).toEqual([]);
    return reply;
  }

  beforeAll(async () => {
    stack = await startPartnerStack();
    token = await stack.partnerToken('partner-acme');
    const reply = await call(`${stack.base}/openapi.json`);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('application/json');
    document = reply.json();
    contract = new OpenApiContract(document);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is a valid OpenAPI 3.1 document, served anonymously', async () => {
    expect(document['openapi']).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('describes every endpoint of both versions, and nothing else', () => {
    const expected = ['v1', 'v2'].flatMap((v) => ENDPOINTS.map((e) => e.replace(' /', ` /partner/${v}/`))).sort();
    expect(contract.operations()).toEqual(expected);
  });

  it('declares both security schemes and lets each operation use either', () => {
    const schemes = (document['components'] as Json)['securitySchemes'] as Json;
    expect(schemes['oauth2']).toMatchObject({ type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${stack.issuer}/token` } } });
    expect(schemes['apiKey']).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }));
    for (const item of Object.values(document['paths'] as Record<string, Record<string, Json>>)) {
      for (const operation of Object.values(item)) {
        const security = operation['security'] as Json[];
        expect(security).toHaveLength(2);
        expect(security).toEqual(expect.arrayContaining([{ apiKey: [] }, { oauth2: expect.arrayContaining([expect.stringMatching(/^(orders|catalog):(read|write)$/)]) }]));
      }
    }
  });

  it('documents the problem types with examples, and examples for the data', () => {
    const problem = ((document['components'] as Json)['schemas'] as Json)['Problem'] as Json;
    expect(Object.keys(problem['properties'] as Json)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'errors']));
    const post = ((document['paths'] as Json)['/partner/v2/orders'] as Json)['post'] as Json;
    const responses = post['responses'] as Record<string, { content?: Record<string, { examples?: Record<string, { value: { type: string } }> }> }>;
    for (const status of ['400', '401', '403', '422', '428', '429', '503']) {
      const examples = responses[status]?.content?.['application/problem+json']?.examples ?? {};
      expect(Object.values(examples).length).toBeGreaterThan(0);
      for (const example of Object.values(examples)) expect(example.value.type).toMatch(/^urn:edge:problem:[a-z-]+$/);
    }
    expect(responses['422']?.content?.['application/problem+json']?.examples?.['idempotency-key-reused']).toBeDefined();
    expect(String((document['info'] as Json)['description'])).toContain('urn:edge:problem:quota-exceeded');
    const money = ((document['components'] as Json)['schemas'] as Record<string, { properties: Record<string, { example?: unknown }> }>)['MoneyV2'];
    expect(money?.properties['amount']?.example).toBe(2599);
    // Request bodies are closed: unknown fields are errors.
    expect((((document['components'] as Json)['schemas'] as Json)['CreateOrderRequest'] as Json)['additionalProperties']).toBe(false);
  });

  it('matches what every endpoint answers, in both versions, successes and problems', async () => {
    const key = stack.createKey({ tenant: 'acme', scopes: 'orders:read,orders:write,catalog:read' }).key;
    for (const v of ['v1', 'v2']) {
      await checked('GET', `/${v}/orders`, `/${v}/orders?limit=3`, { token });
      await checked('GET', `/${v}/orders`, `/${v}/orders?status=shipped&createdAfter=2026-01-01T00:00:00Z`, { apiKey: key });
      await checked('GET', `/${v}/orders/{id}`, `/${v}/orders/ord_0001`, { token });
      await checked('GET', `/${v}/orders/{id}`, `/${v}/orders/ord_0011`, { token });
      const placed = await checked('POST', `/${v}/orders`, `/${v}/orders`, { token, idempotencyKey: `contract-${v}`, body: { items: [{ productId: 'prod_007', quantity: 1 }] } });
      expect(placed.status).toBe(201);
      await checked('POST', `/${v}/orders`, `/${v}/orders`, { token, idempotencyKey: `contract-${v}`, body: { items: [{ productId: 'prod_007', quantity: 2 }] } });
      await checked('POST', `/${v}/orders`, `/${v}/orders`, { token, body: { items: [{ productId: 'prod_007', quantity: 2 }] } });
      await checked('POST', `/${v}/orders`, `/${v}/orders`, { token, idempotencyKey: `contract-bad-${v}`, body: { items: [{ productId: 'prod_nope', quantity: 1 }] } });
      const accepted = await checked('POST', `/${v}/orders/bulk`, `/${v}/orders/bulk`, {
        apiKey: key,
        idempotencyKey: `contract-bulk-${v}`,
        body: { orders: [{ items: [{ productId: 'prod_008', quantity: 1 }] }, { items: [{ productId: 'prod_globex_101', quantity: 1 }] }] },
      });
      const operationId = accepted.json<{ id: string }>().id;
      await eventually(async () => {
        const reply = await checked('GET', `/${v}/operations/{id}`, `/${v}/operations/${operationId}`, { apiKey: key });
        return reply.json<{ status: string }>().status === 'pending' ? undefined : true;
      });
      await checked('GET', `/${v}/operations/{id}`, `/${v}/operations/op_${'0'.repeat(32)}`, { apiKey: key });
      await checked('GET', `/${v}/products`, `/${v}/products?limit=2&category=kitchen`, { apiKey: key });
      await checked('GET', `/${v}/products/{id}`, `/${v}/products/prod_acme_101`, { token });
      await checked('GET', `/${v}/products/{id}`, `/${v}/products/prod_globex_101`, { token });
      await checked('GET', `/${v}/products`, `/${v}/products`);
      await checked('GET', `/${v}/products`, `/${v}/products?tenant=globex`, { token });
      await checked('GET', `/${v}/products`, `/${v}/products?limit=0`, { token });
    }
    for (const v of ['v1', 'v2']) {
      for (const endpoint of ENDPOINTS) {
        const [method, path] = endpoint.split(' ');
        const success = method === 'POST' ? (path === '/orders' ? 201 : 202) : 200;
        expect(contract.seen).toContain(`${method} /partner/${v}${path} ${success}`);
      }
    }
  });

  it('validates requests against the published schema, listing each invalid field', async () => {
    const body = expectProblem(
      await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'invalid-1', body: { items: [{ productId: 'PROD 1', quantity: 0 }, { quantity: 'two', colour: 'red' }], note: 'hi' } }),
      400,
      'validation-failed',
    );
    expect(body['errors']).toEqual(
      expect.arrayContaining([
        { field: 'note', detail: 'is not a known field' },
        { field: 'items[0].productId', detail: 'must match pattern "^[a-z0-9_]{1,64}$"' },
        { field: 'items[0].quantity', detail: 'must be >= 1' },
        { field: 'items[1].productId', detail: 'is required' },
        { field: 'items[1].quantity', detail: 'must be integer' },
        { field: 'items[1].colour', detail: 'is not a known field' },
      ]),
    );
    expect(body['errors']).toHaveLength(6);
    const query = expectProblem(await call(`${stack.base}/v1/orders?limit=500&sort=asc&createdAfter=yesterday`, { token }), 400, 'validation-failed');
    expect(query['errors']).toEqual(
      expect.arrayContaining([
        { field: 'limit', detail: 'must be <= 100' },
        { field: 'sort', detail: 'is not a known field' },
        { field: 'createdAfter', detail: 'must match format "date-time"' },
      ]),
    );
    const path = expectProblem(await call(`${stack.base}/v2/operations/not-an-operation`, { token }), 400, 'validation-failed');
    expect(path['errors']).toEqual([{ field: 'id', detail: 'must match pattern "^op_[0-9a-f]{32}$"' }]);
    for (const raw of ['[]', '"items"', 'null', '{}']) {
      expectProblem(await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'invalid-2', body: raw }), 400, 'validation-failed');
    }
    expectProblem(await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'invalid-3', body: '{"items": [' }), 400, 'malformed-json');
    expectProblem(await call(`${stack.base}/v2/orders`, { token, idempotencyKey: 'invalid-4', body: '<items/>', headers: { 'content-type': 'application/xml' } }), 415, 'unsupported-media-type');
  });
});
