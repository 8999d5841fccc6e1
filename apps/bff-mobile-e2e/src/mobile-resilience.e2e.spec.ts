import { expectProblem, startMobileStack, type MobileStack, stopStragglers } from './mobile-stack';

/**
 * Failing and hanging dependencies, made so through the demo services' own fault endpoint:
 * the optional part degrades to a partial response within its budget; a required part fails
 * the request with the right problem; the IdP going away leaves cached tokens working.
 */
describe('bff-mobile when dependencies fail', () => {
  let stack: MobileStack;
  let alice: string;
  let carol: string;

  beforeAll(async () => {
    stack = await startMobileStack({ DOWNSTREAM_TIMEOUT_MS: '800' });
    [alice, carol] = await Promise.all([stack.login('alice'), stack.login('carol')]);
    // The first request of a user pays for the token exchanges; these tests are about what comes after.
    await stack.mobile('/mobile/v1/home', { token: alice });
  }, 180_000);
  afterEach(async () => {
    await stack.clearFaults();
  });
  afterAll(async () => {
    await stack?.close();
    await stopStragglers();
  });

  async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
    const started = Date.now();
    const result = await fn();
    return [result, Date.now() - started];
  }

  describe('recommendations (optional part of /home)', () => {
    it('failing → 200 partial: warning, empty list, Partial-Response, no-store, no ETag', async () => {
      await stack.fault('demo-recommendations', { errorRate: 1, status: 500 });
      const res = await stack.mobile('/mobile/v1/home', { token: alice });
      expect(res.status).toBe(200);
      expect(res.headers['partial-response']).toBe('true');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['etag']).toBeUndefined();
      const body = res.json<{ recentOrders: unknown[]; recommendations: unknown[]; warnings: unknown[] }>();
      expect(body.recommendations).toEqual([]);
      expect(body.recentOrders).toHaveLength(5);
      expect(body.warnings).toEqual([{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'error' }]);
    });

    it('hanging → still answers within its part budget (500 ms), partial with reason timeout', async () => {
      await stack.fault('demo-recommendations', { mode: 'hang' });
      const [res, ms] = await timed(() => stack.mobile('/mobile/v1/home', { token: alice }));
      expect(res.status).toBe(200);
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(1_500); // the endpoint budget
      expect(res.json<{ warnings: unknown[] }>().warnings).toEqual([{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'timeout' }]);
    });

    it('slow (latency 3 s) → the same, and the recovered service makes the response whole again', async () => {
      await stack.fault('demo-recommendations', { latencyMs: 3_000 });
      const [slow, ms] = await timed(() => stack.mobile('/mobile/v1/home', { token: alice }));
      expect(slow.headers['partial-response']).toBe('true');
      expect(ms).toBeLessThan(1_500);
      await stack.clearFaults();
      const whole = await stack.mobile('/mobile/v1/home', { token: alice });
      expect(whole.headers['partial-response']).toBeUndefined();
      expect(whole.json<{ recommendations: unknown[] }>().recommendations.length).toBeGreaterThan(0);
    });
  });

  describe('orders (required)', () => {
    it('answering 500 → /home fails with 502 bad-gateway, no upstream internals', async () => {
      await stack.fault('demo-orders', { errorRate: 1, status: 500 });
      const body = expectProblem(await stack.mobile('/mobile/v1/home', { token: alice }), 502, 'bad-gateway');
      expect(JSON.stringify(body)).not.toMatch(/demo-orders|127\.0\.0\.1|injected/i);
      expectProblem(await stack.mobile('/mobile/v1/orders', { token: alice }), 502, 'bad-gateway');
    });

    it('answering 503 → 503 with Retry-After; resetting connections → 502', async () => {
      await stack.fault('demo-orders', { errorRate: 1, status: 503 });
      const unavailable = await stack.mobile('/mobile/v1/home', { token: alice });
      expectProblem(unavailable, 503);
      expect(unavailable.headers['retry-after']).toEqual(expect.any(String));
      await stack.fault('demo-orders', { mode: 'reset' });
      expectProblem(await stack.mobile('/mobile/v1/orders/ord_0001', { token: alice }), 502, 'bad-gateway');
    });

    it('hanging → 504 gateway-timeout within the budgets (part 1.2 s for /home, dependency 800 ms for /orders)', async () => {
      await stack.fault('demo-orders', { mode: 'hang' });
      const [home, homeMs] = await timed(() => stack.mobile('/mobile/v1/home', { token: alice }));
      expectProblem(home, 504, 'gateway-timeout');
      expect(homeMs).toBeLessThan(1_600);
      const [list, listMs] = await timed(() => stack.mobile('/mobile/v1/orders', { token: alice }));
      expectProblem(list, 504, 'gateway-timeout');
      expect(listMs).toBeLessThan(1_200);
    });
  });

  it('customers failing fails /home too (profile is required)', async () => {
    await stack.fault('demo-customers', { errorRate: 1, status: 502 });
    expectProblem(await stack.mobile('/mobile/v1/home', { token: alice }), 502, 'bad-gateway');
  });

  it('keeps serving cached downstream tokens while the IdP is down; a new exchange is 503 dependency-unavailable', async () => {
    expect((await stack.mobile('/mobile/v1/orders?limit=1', { token: alice })).status).toBe(200);
    await stack.idp.stop();
    expect((await stack.mobile('/mobile/v1/orders?limit=1', { token: alice })).status).toBe(200);
    const res = await stack.mobile('/mobile/v1/orders?limit=1', { token: carol });
    expectProblem(res, 503, 'dependency-unavailable');
    expect(res.headers['retry-after']).toBe('1');
  });
});
