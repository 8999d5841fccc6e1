import { call, expectProblem, startDemoStack, type DemoStack } from './support';

describe('demo-customers and demo-recommendations', () => {
  let stack: DemoStack;
  beforeAll(async () => {
    stack = await startDemoStack(['demo-customers', 'demo-recommendations']);
  });
  afterAll(() => stack.close());

  describe('demo-customers', () => {
    const url = () => stack.url('demo-customers');
    const as = (sub: string, claims: Record<string, unknown> = {}) => stack.token('demo-customers', { sub, ...claims });

    it('returns the caller’s own profile, without internal fields', async () => {
      const me = await call(`${url()}/customers/me`, { token: await as('carol') });
      expect(me.status).toBe(200);
      expect(me.json()).toMatchObject({ id: 'carol', tenant: 'globex', email: 'carol@globex.example' });
      expect(Object.keys(me.json()).sort()).toEqual(['address', 'email', 'id', 'marketingOptIn', 'name', 'tenant', 'tier']);
      expect(me.text).not.toContain('riskScore');
      expect(me.headers['cache-control']).toBe('private, no-cache');
      const byId = await call(`${url()}/customers/carol`, { token: await as('carol') });
      expect(byId.json()).toEqual(me.json());
      expect((await call(`${url()}/customers/carol`, { token: await as('carol'), headers: { 'if-none-match': me.headers['etag'] as string } })).status).toBe(304);
    });

    it('hides everyone else’s profile behind 404, same tenant or not', async () => {
      expectProblem(await call(`${url()}/customers/bob`, { token: await as('alice') }), 404, 'not-found');
      expectProblem(await call(`${url()}/customers/carol`, { token: await as('alice') }), 404, 'not-found');
      expectProblem(await call(`${url()}/customers/alice`, { token: await as('alice', { tenant: 'globex' }) }), 404, 'not-found');
      expectProblem(await call(`${url()}/customers/me`, { token: await as('partner-acme', { client_id: 'partner-acme' }) }), 404, 'not-found');
    });

    it('needs profile:read and its own audience', async () => {
      expectProblem(await call(`${url()}/customers/me`, { token: await as('alice', { scope: 'orders:read' }) }), 403, 'insufficient-scope');
      expectProblem(await call(`${url()}/customers/me`, { token: await as('alice', { aud: 'orders-api' }) }), 401, 'invalid-token');
      expectProblem(await call(`${url()}/customers/me`), 401, 'invalid-token');
    });

    it('publishes its OpenAPI document', async () => {
      const doc = (await call(`${url()}/openapi.json`)).json<{ paths: Record<string, unknown> }>();
      expect(Object.keys(doc.paths).sort()).toEqual(['/customers/me', '/customers/{id}']);
    });
  });

  describe('demo-recommendations', () => {
    const url = () => stack.url('demo-recommendations');
    const as = (sub: string, claims: Record<string, unknown> = {}) => stack.token('demo-recommendations', { sub, ...claims });
    type List = { items: { productId: string; reason: string; score: number }[] };

    it('recommends products for the caller, bounded by limit', async () => {
      const res = await call(`${url()}/recommendations?limit=7`, { token: await as('alice') });
      expect(res.status).toBe(200);
      const list = res.json<List>();
      expect(list.items).toHaveLength(7);
      expect(list.items.every((i) => /^prod_/.test(i.productId) && i.reason.length > 0)).toBe(true);
      expect((await call(`${url()}/recommendations`, { token: await as('alice') })).json<List>().items).toHaveLength(5);
      const carol = (await call(`${url()}/recommendations?limit=20`, { token: await as('carol') })).json<List>();
      expect(carol.items.some((i) => i.productId.startsWith('prod_acme_'))).toBe(false);
      expectProblem(await call(`${url()}/recommendations?limit=21`, { token: await as('alice') }), 400, 'validation-failed');
    });

    it('needs recommendations:read and its own audience', async () => {
      expectProblem(await call(`${url()}/recommendations`, { token: await as('alice', { scope: 'catalog:read' }) }), 403, 'insufficient-scope');
      expectProblem(await call(`${url()}/recommendations`, { token: await as('alice', { aud: 'catalog-api' }) }), 401, 'invalid-token');
    });
  });
});
