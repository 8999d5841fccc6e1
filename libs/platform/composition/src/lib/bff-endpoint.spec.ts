import { problem, ProblemException } from '@edge/problem-details';
import { defineBffEndpoint } from './define-bff-endpoint';
import { CompositionConfigError } from './validate-endpoint';
import { activeTimers, answerAfter, fakeClients, ignoreEverything, type FakeClient } from './fake-parts.fixture';

interface Input {
  user: string;
}

const clients = fakeClients('customers', 'orders', 'recommendations', 'catalog');

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('BffEndpoint', () => {
  it('runs independent parts in parallel and shapes their values', async () => {
    const seen: string[] = [];
    const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 500 })
      .part('profile', { dependency: 'customers', deadlineMs: 300, policy: 'required', call: (client, ctx) => (seen.push(client.name), answerAfter(60, { name: ctx.input.user }, ctx.signal)) })
      .part('orders', { dependency: 'orders', deadlineMs: 300, policy: 'required', call: (client, ctx) => (seen.push(client.name), answerAfter(60, [1, 2], ctx.signal)) })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 300, policy: 'optional', fallback: () => [] as string[], call: (_c, ctx) => answerAfter(60, ['p1'], ctx.signal) })
      .shape((v, input, meta) => ({ greeting: `hi ${v.profile.name}`, orders: v.orders.length, recs: v.recommendations, user: input.user, partial: meta.partial }))
      .bind(clients);
    const started = Date.now();
    const result = await endpoint.run({ user: 'alice' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(170); // one 60 ms round, not three (≥ 180); margin for a busy machine
    expect(result).toEqual({
      body: { greeting: 'hi alice', orders: 2, recs: ['p1'], user: 'alice', partial: false },
      partial: false,
      warnings: [],
      outcomes: { profile: 'fresh', orders: 'fresh', recommendations: 'fresh' },
    });
    expect(seen.sort()).toEqual(['customers', 'orders']);
    expect('warnings' in result.body).toBe(false);
  });

  it('starts a part that needs another when that one is done, with its value, the others in parallel', async () => {
    // Order of events, not elapsed times: timed assertions fail on a busy machine.
    const events: string[] = [];
    const traced = <T>(name: string, value: T, signal: AbortSignal) => {
      events.push(`start ${name}`);
      return answerAfter(50, value, signal).then((v) => (events.push(`end ${name}`), v));
    };
    const endpoint = defineBffEndpoint<Input, FakeClient>('details', { deadlineMs: 500 })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 200, policy: 'required', call: (_c, ctx) => traced('recommendations', ['p1', 'p2'], ctx.signal) })
      .part('profile', { dependency: 'customers', deadlineMs: 200, policy: 'required', call: (_c, ctx) => traced('profile', 'alice', ctx.signal) })
      .part('products', {
        dependency: 'catalog',
        deadlineMs: 200,
        policy: 'required',
        needs: ['recommendations'],
        call: (_c, ctx, needs) => traced('products', needs.recommendations.map((id) => ({ id })), ctx.signal),
      })
      .shape((v) => ({ products: v.products, user: v.profile }))
      .bind(clients);
    const result = await endpoint.run({ user: 'alice' });
    expect(result.body).toEqual({ products: [{ id: 'p1' }, { id: 'p2' }], user: 'alice' });
    const at = (event: string) => events.indexOf(event);
    // Parts without needs start together, before either ends; products waits for recommendations.
    expect(at('start profile')).toBeLessThan(at('end recommendations'));
    expect(at('start recommendations')).toBeLessThan(at('end profile'));
    expect(at('start products')).toBeGreaterThan(at('end recommendations'));
  });

  it('serves an optional part that fails with its fallback: partial, with a warning naming it', async () => {
    const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 500 })
      .part('profile', { dependency: 'customers', deadlineMs: 300, policy: 'required', call: async () => 'alice' })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 300, policy: 'optional', fallback: () => [] as string[], call: async () => Promise.reject(problem('upstream-unavailable')) })
      .shape((v) => ({ user: v.profile, recs: v.recommendations }))
      .bind(clients);
    const result = await endpoint.run({ user: 'alice' });
    expect(result.partial).toBe(true);
    expect(result.body).toEqual({ user: 'alice', recs: [], warnings: [{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'error' }] });
    expect(result.outcomes).toEqual({ profile: 'fresh', recommendations: 'fallback' });
  });

  it('ends an optional part that hangs (ignoring its signal) at its own deadline, and clears every timer', async () => {
    await new Promise((r) => setTimeout(r, 50));
    const timersBefore = activeTimers();
    let signalled: AbortSignal | undefined;
    const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 1000 })
      .part('profile', { dependency: 'customers', deadlineMs: 900, policy: 'required', call: (_c, ctx) => answerAfter(10, 'alice', ctx.signal) })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 80, policy: 'optional', fallback: () => null, call: (_c, ctx) => ((signalled = ctx.signal), ignoreEverything<string[]>()) })
      .shape((v) => ({ user: v.profile, recs: v.recommendations }))
      .bind(clients);
    const started = Date.now();
    const result = await endpoint.run({ user: 'alice' });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(elapsed).toBeLessThan(500); // at its own 80 ms deadline, far from the endpoint's 1 s
    expect(signalled?.aborted).toBe(true);
    expect(result.body).toEqual({ user: 'alice', recs: null, warnings: [{ code: 'recommendations-unavailable', part: 'recommendations', served: 'fallback', reason: 'timeout' }] });
    // The profile part's 900 ms timer would still be pending had it not been cleared. Other
    // timers may take a few ms to settle after the result (seen 1 run in 10): wait up to 100 ms.
    for (let i = 0; i < 20 && activeTimers() > timersBefore; i++) await new Promise((r) => setTimeout(r, 5));
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it("fails the request with a required part's own problem, stopping the siblings at once", async () => {
    const failure = problem('bad-gateway');
    let siblingSignal: AbortSignal | undefined;
    const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 1000 })
      .part('orders', { dependency: 'orders', deadlineMs: 900, policy: 'required', call: (_c, ctx) => answerAfter(20, null, ctx.signal).then(() => Promise.reject(failure)) })
      .part('profile', { dependency: 'customers', deadlineMs: 900, policy: 'required', call: (_c, ctx) => ((siblingSignal = ctx.signal), answerAfter(800, 'alice', ctx.signal)) })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 900, policy: 'optional', fallback: () => [], call: (_c, ctx) => answerAfter(800, ['x'], ctx.signal) })
      .shape((v) => v)
      .bind(clients);
    const started = Date.now();
    const error = await rejectionOf(endpoint.run({ user: 'alice' }));
    expect(error).toBe(failure);
    expect(Date.now() - started).toBeLessThan(200);
    expect(siblingSignal?.aborted).toBe(true);
  });

  it('passes a required part’s 4xx through, and answers 504 when it runs out of time', async () => {
    const notFound = problem('not-found');
    const missing = defineBffEndpoint<Input, FakeClient>('order', { deadlineMs: 300 })
      .part('order', { dependency: 'orders', deadlineMs: 300, policy: 'required', call: async () => Promise.reject(notFound) })
      .shape((v) => ({ order: v.order }))
      .bind(clients);
    expect(await rejectionOf(missing.run({ user: 'bob' }))).toBe(notFound);

    const slow = defineBffEndpoint<Input, FakeClient>('order', { deadlineMs: 300 })
      .part('order', { dependency: 'orders', deadlineMs: 50, policy: 'required', call: () => ignoreEverything<string>() })
      .shape((v) => ({ order: v.order }))
      .bind(clients);
    const timeout = await rejectionOf(slow.run({ user: 'bob' }));
    expect(timeout).toBeInstanceOf(ProblemException);
    expect((timeout as ProblemException).status).toBe(504);
  });

  it('caps every part by the endpoint budget and the inbound deadline, and stops when the inbound request goes away', async () => {
    const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 400 })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 400, policy: 'optional', fallback: () => 'none', call: () => ignoreEverything<string>() })
      .shape((v) => ({ recs: v.recommendations }))
      .bind(clients);
    let started = Date.now();
    await endpoint.run({ user: 'a' }, { deadline: Date.now() + 60 });
    expect(Date.now() - started).toBeLessThan(300); // the 60 ms inbound deadline, not the 400 ms budget

    const inbound = new AbortController();
    setTimeout(() => inbound.abort(), 30);
    started = Date.now();
    const result = await endpoint.run({ user: 'a' }, { signal: inbound.signal });
    expect(Date.now() - started).toBeLessThan(300); // when the inbound request goes (30 ms), not at the 400 ms budget
    expect(result.outcomes).toEqual({ recommendations: 'fallback' });
  });

  it('gives a dependent part the fallback of an optional part it needs, and cancels dependents of a failed required part', async () => {
    const withFallback = defineBffEndpoint<Input, FakeClient>('x', { deadlineMs: 300 })
      .part('recommendations', { dependency: 'recommendations', deadlineMs: 100, policy: 'optional', fallback: () => ['fallback-id'], call: async () => Promise.reject(new Error('boom')) })
      .part('products', { dependency: 'catalog', deadlineMs: 100, policy: 'required', needs: ['recommendations'], call: async (_c, _ctx, needs) => needs.recommendations.map((id) => `product:${id}`) })
      .shape((v) => ({ products: v.products }))
      .bind(clients);
    const result = await withFallback.run({ user: 'a' });
    expect(result.body.products).toEqual(['product:fallback-id']);
    expect(result.outcomes).toEqual({ recommendations: 'fallback', products: 'fresh' });

    let called = false;
    const failed = problem('upstream-unavailable');
    const chain = defineBffEndpoint<Input, FakeClient>('y', { deadlineMs: 300 })
      .part('orders', { dependency: 'orders', deadlineMs: 100, policy: 'required', call: async () => Promise.reject(failed) })
      .part('products', { dependency: 'catalog', deadlineMs: 100, policy: 'optional', fallback: () => [], needs: ['orders'], call: async () => ((called = true), ['p']) })
      .shape((v) => v)
      .bind(clients);
    expect(await rejectionOf(chain.run({ user: 'a' }))).toBe(failed);
    expect(called).toBe(false);
  });

  describe('stale-allowed parts', () => {
    const build = (fail: () => boolean, maxStaleMs: number, withFallback: boolean) =>
      defineBffEndpoint<Input, FakeClient>('catalog-home', { deadlineMs: 300 })
        .part('featured', {
          dependency: 'catalog',
          deadlineMs: 100,
          policy: 'stale-allowed',
          maxStaleMs,
          staleKey: (input) => input.user,
          ...(withFallback ? { fallback: () => 'fallback' } : {}),
          call: async (_c, ctx) => (fail() ? Promise.reject(problem('bad-gateway')) : `featured for ${ctx.input.user}`),
        })
        .shape((v) => ({ featured: v.featured }))
        .bind(clients);

    it('serves the last good value of the same key while it is young enough, marked stale', async () => {
      let failing = false;
      const endpoint = build(() => failing, 60_000, false);
      await expect(endpoint.run({ user: 'alice' })).resolves.toMatchObject({ partial: false, body: { featured: 'featured for alice' } });
      failing = true;
      const stale = await endpoint.run({ user: 'alice' });
      expect(stale.partial).toBe(true);
      expect(stale.body).toEqual({ featured: 'featured for alice', warnings: [{ code: 'featured-unavailable', part: 'featured', served: 'stale', reason: 'error', ageSeconds: 0 }] });
      // Bob never had a good value: no fallback, so the part fails like a required one.
      expect(await rejectionOf(endpoint.run({ user: 'bob' }))).toMatchObject({ status: 502 });
    });

    it('falls back (or fails) once the last good value is too old', async () => {
      let failing = false;
      const endpoint = build(() => failing, 30, true);
      await endpoint.run({ user: 'alice' });
      failing = true;
      await new Promise((r) => setTimeout(r, 50));
      const result = await endpoint.run({ user: 'alice' });
      expect(result.body).toEqual({ featured: 'fallback', warnings: [{ code: 'featured-unavailable', part: 'featured', served: 'fallback', reason: 'error' }] });
    });
  });

  describe('declaration checks', () => {
    it('reports every problem of a declaration at once', () => {
      let error: unknown;
      try {
        defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 500 })
          .part('profile', { dependency: 'customers', deadlineMs: 800, policy: 'required', call: async () => 1 })
          .part('recommendations', { dependency: 'recommendations', deadlineMs: 200, policy: 'optional', call: async () => 1 })
          .part('a', { dependency: 'orders', deadlineMs: 100, policy: 'required', needs: ['b', 'ghost'] as never, call: async () => 1 })
          .part('b', { dependency: 'orders', deadlineMs: 100, policy: 'required', needs: ['a'], call: async () => 1 })
          .part('cached', { dependency: 'catalog', deadlineMs: 100, policy: 'stale-allowed', call: async () => 1 })
          .part('Bad_Name', { dependency: 'catalog', deadlineMs: 100, policy: 'required', fallback: () => 1, call: async () => 1 })
          .shape(() => ({}));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CompositionConfigError);
      expect((error as CompositionConfigError).problems).toEqual([
        'home.profile: deadlineMs 800 exceeds the endpoint budget of 500 ms',
        'home.recommendations: an optional part needs a fallback',
        'home.a: needs unknown part "ghost"',
        'home.cached: a stale-allowed part needs maxStaleMs (a positive integer)',
        'home.cached: a stale-allowed part needs staleKey(input) (values are reused only under the same key, never across callers by accident)',
        'home.Bad_Name: part names match [a-z][a-zA-Z0-9-]* (they become warning codes and metric labels)',
        'home.Bad_Name: a required part cannot have a fallback (make it optional)',
        'home: parts need each other in a cycle: a → b → a',
      ]);
    });

    it('refuses a chain of dependent parts that cannot fit the budget', () => {
      expect(() =>
        defineBffEndpoint<Input, FakeClient>('chain', { deadlineMs: 500 })
          .part('first', { dependency: 'orders', deadlineMs: 300, policy: 'required', call: async () => 1 })
          .part('second', { dependency: 'catalog', deadlineMs: 300, policy: 'required', needs: ['first'], call: async () => 2 })
          .shape((v) => v),
      ).toThrow('chain: the chain first → second needs 600 ms, more than the endpoint budget of 500 ms');
    });

    it('lists every unknown dependency when binding', () => {
      const endpoint = defineBffEndpoint<Input, FakeClient>('home', { deadlineMs: 500 })
        .part('profile', { dependency: 'profiles', deadlineMs: 100, policy: 'required', call: async () => 1 })
        .part('orders', { dependency: 'orders', deadlineMs: 100, policy: 'required', call: async () => 1 })
        .part('wishlist', { dependency: 'wishlists', deadlineMs: 100, policy: 'optional', fallback: () => 0, call: async () => 1 })
        .shape((v) => v);
      expect(endpoint.bindingProblems(clients)).toEqual([
        'home.profile: unknown dependency "profiles" (no http client of that name)',
        'home.wishlist: unknown dependency "wishlists" (no http client of that name)',
      ]);
      expect(() => endpoint.bind(clients)).toThrow(CompositionConfigError);
    });
  });
});
