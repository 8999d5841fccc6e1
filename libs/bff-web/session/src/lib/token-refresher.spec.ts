import { randomBytes, randomUUID } from 'node:crypto';
import { startRedisServer, type RedisServer } from '@edge/testing';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@edge/state';
import { SessionCipher, sessionKey } from './session-cipher';
import { RefreshRejectedError, RefreshUnavailableError, SessionEndedError } from './session-errors';
import { SessionStore } from './session-store';
import { SessionTokenRefresher, type RefreshTokens } from './token-refresher';
import type { SessionTokens } from './web-session';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cipher = new SessionCipher([sessionKey(randomBytes(32))]);
const lifetimes = { idleMs: 60_000, absoluteMs: 600_000 };

function tokensValidFor(ms: number, lifetimeMs = 300_000, refreshToken: string | undefined = `rt-${randomUUID()}`): SessionTokens {
  const now = Date.now();
  return { accessToken: `at-${randomUUID()}`, accessTokenIssuedAt: now + ms - lifetimeMs, accessTokenExpiresAt: now + ms, ...(refreshToken ? { refreshToken } : {}) };
}

/** A fake IdP: counts refreshes, answers after `delayMs`, rotates refresh tokens and rejects reuse like a strict IdP. */
function fakeIdp(delayMs = 50) {
  const live = new Set<string>();
  const idp = {
    calls: 0,
    mode: 'ok' as 'ok' | 'reject' | 'down',
    issue(t: SessionTokens) {
      if (t.refreshToken) live.add(t.refreshToken);
      return t;
    },
    refresh: (async (refreshToken: string) => {
      idp.calls++;
      await sleep(delayMs);
      if (idp.mode === 'down') throw new Error('connect ECONNREFUSED');
      if (idp.mode === 'reject' || !live.delete(refreshToken)) throw new RefreshRejectedError('invalid_grant');
      const next = tokensValidFor(300_000);
      live.add(next.refreshToken!);
      return next;
    }) as RefreshTokens,
  };
  return idp;
}

describe('SessionTokenRefresher on one instance', () => {
  let state: StateStore;
  let store: SessionStore;
  beforeEach(() => {
    state = new MemoryStateStore();
    store = new SessionStore(state, cipher, { lifetimes, leaseMs: 5_000 });
  });
  afterEach(() => state.close());

  it('leaves fresh tokens alone', async () => {
    const idp = fakeIdp();
    const s = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(200_000)));
    const refresher = new SessionTokenRefresher(store, idp.refresh);
    expect(await refresher.fresh(s)).toBe(s.session);
    expect(idp.calls).toBe(0);
  });

  it('refreshes within the margin (smaller of marginMs and half the lifetime)', () => {
    const refresher = new SessionTokenRefresher(store, fakeIdp().refresh, { marginMs: 30_000 });
    expect(refresher.needsRefresh(tokensValidFor(31_000))).toBe(false);
    expect(refresher.needsRefresh(tokensValidFor(29_000))).toBe(true);
    // A 6-second token: the margin is 3 s.
    expect(refresher.needsRefresh(tokensValidFor(3_500, 6_000))).toBe(false);
    expect(refresher.needsRefresh(tokensValidFor(2_500, 6_000))).toBe(true);
  });

  it('20 concurrent requests at expiry: one refresh, all get the new tokens, the rotated refresh token is kept', async () => {
    const idp = fakeIdp(100);
    const s = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(-1_000)));
    const refresher = new SessionTokenRefresher(store, idp.refresh);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.load(s.id).then((l) => refresher.fresh(l!))));
    expect(idp.calls).toBe(1);
    const tokensSeen = new Set(results.map((r) => r.tokens.accessToken));
    expect(tokensSeen.size).toBe(1);
    expect([...tokensSeen][0]).not.toBe(s.session.tokens.accessToken);
    const stored = (await store.load(s.id))!.session;
    expect(stored.tokens.accessToken).toBe(results[0]!.tokens.accessToken);
    expect(stored.tokens.refreshToken).not.toBe(s.session.tokens.refreshToken);
    expect(stored.generation).toBe(1);
    // …and the next expiry refreshes again with the rotated token (reuse would be refused).
    await store.write(s.handle, { ...stored, tokens: { ...stored.tokens, accessTokenExpiresAt: Date.now() - 1 } });
    await refresher.fresh((await store.load(s.id))!);
    expect(idp.calls).toBe(2);
  });

  it('a refused refresh ends the session', async () => {
    const idp = fakeIdp();
    idp.mode = 'reject';
    const s = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(-1)));
    const refresher = new SessionTokenRefresher(store, idp.refresh);
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => refresher.fresh(s)));
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason instanceof SessionEndedError)).toBe(true);
    expect(idp.calls).toBe(1);
    expect(await store.load(s.id)).toBeUndefined();
  });

  it('an unreachable IdP keeps the session: the current token while usable, then 503-style errors', async () => {
    const idp = fakeIdp();
    idp.mode = 'down';
    const refresher = new SessionTokenRefresher(store, idp.refresh, { marginMs: 30_000 });
    const stillValid = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(10_000)));
    expect((await refresher.fresh(stillValid)).tokens.accessToken).toBe(stillValid.session.tokens.accessToken);
    const expired = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(-1)));
    await expect(refresher.fresh(expired)).rejects.toBeInstanceOf(RefreshUnavailableError);
    expect(await store.load(expired.id)).toBeDefined();
  });

  it('without a refresh token, an expired session ends', async () => {
    const idp = fakeIdp();
    const s = await store.create({ sub: 'alice' }, tokensValidFor(-1, 300_000, undefined));
    await expect(new SessionTokenRefresher(store, idp.refresh).fresh(s)).rejects.toBeInstanceOf(SessionEndedError);
    expect(await store.load(s.id)).toBeUndefined();
  });

  it('a request that gives up waiting does not cancel the shared refresh', async () => {
    const idp = fakeIdp(150);
    const s = await store.create({ sub: 'alice' }, idp.issue(tokensValidFor(-1)));
    const refresher = new SessionTokenRefresher(store, idp.refresh);
    const controller = new AbortController();
    const leaving = refresher.fresh(s, controller.signal);
    const staying = refresher.fresh(s);
    controller.abort(new Error('client left'));
    await expect(leaving).rejects.toThrow('client left');
    expect((await staying).generation).toBe(1);
    expect(idp.calls).toBe(1);
  });
});

describe('SessionTokenRefresher across instances sharing Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());

  it('two instances, 10 concurrent requests each at expiry: exactly one refresh, nobody fails', async () => {
    const prefix = `test:${randomUUID()}:`;
    const states = [new RedisStateStore({ url: redis.url, keyPrefix: prefix }), new RedisStateStore({ url: redis.url, keyPrefix: prefix })];
    for (const s of states) for (let i = 0; i < 50 && !(await s.ping()); i++) await sleep(20);
    const idp = fakeIdp(150);
    const stores = states.map((s) => new SessionStore(s, cipher, { lifetimes, leaseMs: 5_000 }));
    const refreshers = stores.map((s) => new SessionTokenRefresher(s, idp.refresh));
    const created = await stores[0]!.create({ sub: 'alice', sid: 'x' }, idp.issue(tokensValidFor(-500)));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => stores[i % 2]!.load(created.id).then((l) => refreshers[i % 2]!.fresh(l!))),
    );
    expect(idp.calls).toBe(1);
    expect(new Set(results.map((r) => r.tokens.accessToken)).size).toBe(1);
    expect(results.every((r) => r.tokens.accessTokenExpiresAt > Date.now())).toBe(true);
    await Promise.all(states.map((s) => s.close()));
  });
});
