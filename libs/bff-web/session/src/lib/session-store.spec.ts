import { randomBytes, randomUUID } from 'node:crypto';
import { startRedisServer, type RedisServer } from '@edge/testing';
import { MemoryStateStore, RedisStateStore, type StateStore } from '@edge/state';
import { SessionCipher, sessionKey } from './session-cipher';
import { sessionHandle } from './session-id';
import { SessionStore } from './session-store';
import type { SessionTokens } from './web-session';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokens = (): SessionTokens => ({
  accessToken: `at-${randomUUID()}`,
  accessTokenIssuedAt: Date.now(),
  accessTokenExpiresAt: Date.now() + 300_000,
  refreshToken: `rt-${randomUUID()}`,
});

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(() => redis.stop());

const adapters: [string, () => StateStore][] = [
  ['memory', () => new MemoryStateStore()],
  ['redis', () => new RedisStateStore({ url: redis.url, keyPrefix: `test:${randomUUID()}:` })],
];

describe.each(adapters)('SessionStore on %s state', (_name, createState) => {
  let state: StateStore;
  const cipher = new SessionCipher([sessionKey(randomBytes(32))]);
  const store = (idleMs = 60_000, absoluteMs = 3_600_000) => new SessionStore(state, cipher, { lifetimes: { idleMs, absoluteMs }, leaseMs: 2_000 });

  beforeAll(async () => {
    state = createState();
    for (let i = 0; i < 50 && !(await state.ping()); i++) await sleep(20);
  });
  afterAll(() => state.close());

  it('creates sessions with fresh random ids; the store holds neither the id nor the tokens in clear', async () => {
    const sessions = store();
    const t = tokens();
    const a = await sessions.create({ sub: 'alice', sid: 'sid-1' }, t);
    const b = await sessions.create({ sub: 'alice', sid: 'sid-1' }, t);
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.handle).toBe(sessionHandle(a.id));
    const raw = await state.get(`session:${a.handle}`);
    expect(raw).toBeDefined();
    expect(raw).not.toContain(t.accessToken);
    expect(raw).not.toContain(t.refreshToken);
    expect(raw).not.toContain('alice');
    expect(await state.get(`session:${a.id}`)).toBeUndefined();
    expect((await sessions.load(a.id))?.session.tokens).toEqual(t);
  });

  it('finds nothing for unknown, malformed or forged ids', async () => {
    const sessions = store();
    expect(await sessions.load(undefined)).toBeUndefined();
    expect(await sessions.load('short')).toBeUndefined();
    expect(await sessions.load(randomBytes(32).toString('base64url'))).toBeUndefined();
    const { handle } = await sessions.create({ sub: 'bob' }, tokens());
    // A record that does not decrypt under its own key (copied from elsewhere) is dropped.
    await state.set(`session:${handle}`, 'v1.zzzz.aaaa.bbbb', 60_000);
    expect(await sessions.read(handle)).toBeUndefined();
    expect(await state.get(`session:${handle}`)).toBeUndefined();
  });

  it('ends idle sessions and removes them from the store; activity slides the idle end', async () => {
    const sessions = new SessionStore(state, cipher, { lifetimes: { idleMs: 400, absoluteMs: 60_000 }, leaseMs: 1_000, touchIntervalMs: 50 });
    const kept = await sessions.create({ sub: 'alice' }, tokens());
    const idle = await sessions.create({ sub: 'alice' }, tokens());
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      const loaded = await sessions.load(kept.id);
      expect(loaded).toBeDefined();
      await sessions.touch(loaded!);
    }
    expect(await sessions.load(kept.id)).toBeDefined();
    // Gone from the store by its TTL, without anyone reading it.
    expect(await state.get(`session:${idle.handle}`)).toBeUndefined();
    expect(await sessions.load(idle.id)).toBeUndefined();
  });

  it('ends sessions at their absolute lifetime whatever the activity', async () => {
    const sessions = new SessionStore(state, cipher, { lifetimes: { idleMs: 10_000, absoluteMs: 300 }, leaseMs: 1_000, touchIntervalMs: 10 });
    const s = await sessions.create({ sub: 'alice' }, tokens());
    await sleep(150);
    await sessions.touch((await sessions.load(s.id))!);
    await sleep(200);
    expect(await sessions.load(s.id)).toBeUndefined();
  });

  it('a write after the session ended is undone (a refresh finishing elsewhere cannot revive a logged-out session)', async () => {
    const sessions = store();
    const s = await sessions.create({ sub: 'alice' }, tokens());
    const lease = await sessions.acquireLease(s.handle);
    expect(lease).toBeDefined();
    await sessions.end(s.handle, 'logout');
    expect(await sessions.write(s.handle, { ...s.session, generation: 1 })).toBe(false);
    expect(await sessions.load(s.id)).toBeUndefined();
    await sessions.releaseLease(s.handle, lease!);
  });

  it('ends every session of an IdP session (sid), or of a subject', async () => {
    const sessions = store();
    const a1 = await sessions.create({ sub: 'alice', sid: 'idp-1' }, tokens());
    const a2 = await sessions.create({ sub: 'alice', sid: 'idp-1' }, tokens());
    const a3 = await sessions.create({ sub: 'alice', sid: 'idp-2' }, tokens());
    const b = await sessions.create({ sub: 'bob', sid: 'idp-3' }, tokens());
    expect(await sessions.endAllOf({ sid: 'idp-1', sub: 'alice' }, 'back-channel-logout')).toBe(2);
    expect(await sessions.load(a1.id)).toBeUndefined();
    expect(await sessions.load(a2.id)).toBeUndefined();
    expect(await sessions.load(a3.id)).toBeDefined();
    // A sid naming another user's session is not honoured.
    expect(await sessions.endAllOf({ sid: 'idp-3', sub: 'alice' }, 'back-channel-logout')).toBe(0);
    expect(await sessions.load(b.id)).toBeDefined();
    expect(await sessions.endAllOf({ sub: 'alice' }, 'back-channel-logout')).toBe(1);
    expect(await sessions.load(a3.id)).toBeUndefined();
    expect(await sessions.load(b.id)).toBeDefined();
  });

  it('records activity under the lease and skips it while another writer holds the lease', async () => {
    const sessions = new SessionStore(state, cipher, { lifetimes: { idleMs: 60_000, absoluteMs: 600_000 }, leaseMs: 2_000, touchIntervalMs: 1 });
    const s = await sessions.create({ sub: 'alice' }, tokens());
    await sleep(5);
    const lease = await sessions.acquireLease(s.handle);
    const skipped = await sessions.touch((await sessions.load(s.id))!);
    expect(skipped.lastSeenAt).toBe(s.session.lastSeenAt);
    await sessions.releaseLease(s.handle, lease!);
    const touched = await sessions.touch((await sessions.load(s.id))!);
    expect(touched.lastSeenAt).toBeGreaterThan(s.session.lastSeenAt);
    expect((await sessions.load(s.id))!.session.lastSeenAt).toBe(touched.lastSeenAt);
  });
});
