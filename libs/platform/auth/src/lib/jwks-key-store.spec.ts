import { JwksKeyStore } from './jwks-key-store';
import { KeysUnavailableError } from './token-error';
import { signingKey, startKeyServer, type KeyServer } from './testing/token-forgery';

const waitUntil = async (what: string, done: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** The first JWKS fetch failing: what a store that never loaded keys does next. */
describe('JwksKeyStore before its first key set', () => {
  let server: KeyServer;
  let store: JwksKeyStore | undefined;
  beforeEach(async () => {
    server = await startKeyServer([]); // an empty key set is a failed fetch
  });
  afterEach(async () => {
    store?.close();
    await server.close();
  });

  it('lets a request retry after initialRetryMs (backing off), not after the failure cooldown', async () => {
    let clock = 1_000_000;
    store = new JwksKeyStore({ jwksUri: server.jwksUri, now: () => clock, initialRetryMs: 250, failureCooldownMs: 5000 });
    await expect(store.getKey('k', 'ES256')).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(server.fetches()).toBe(1);
    clock += 200;
    await expect(store.getKey('k', 'ES256')).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(server.fetches()).toBe(1); // within the retry delay: no fetch
    clock += 60;
    await expect(store.getKey('k', 'ES256')).rejects.toBeInstanceOf(KeysUnavailableError);
    expect(server.fetches()).toBe(2);
    clock += 260; // the second failure doubled the delay to 500
    await store.getKey('k', 'ES256').catch(() => undefined);
    expect(server.fetches()).toBe(2);
    const good = await signingKey('ES256');
    server.setKeys([good.jwk]);
    clock += 250;
    await expect(store.getKey(good.kid, 'ES256')).resolves.toMatchObject({ kid: good.kid });
    expect(server.fetches()).toBe(3);
  });

  it('goes back to the failure cooldown once a key set was loaded', async () => {
    let clock = 1_000_000;
    const good = await signingKey('ES256');
    server.setKeys([good.jwk]);
    store = new JwksKeyStore({ jwksUri: server.jwksUri, now: () => clock, initialRetryMs: 250, failureCooldownMs: 5000, cooldownMs: 30_000 });
    await store.refresh();
    server.setKeys([]);
    clock += 30_001;
    await store.getKey('unknown', 'ES256').catch(() => undefined);
    expect(server.fetches()).toBe(2);
    clock += 1000; // far past initialRetryMs, within the failure cooldown
    await expect(store.getKey('unknown', 'ES256')).rejects.toMatchObject({ reason: 'unknown-key' });
    expect(server.fetches()).toBe(2);
    clock += 4001;
    await store.getKey('unknown', 'ES256').catch(() => undefined);
    expect(server.fetches()).toBe(3);
  });

  it('keeps retrying in the background after start() until keys load, with no request', async () => {
    store = new JwksKeyStore({ jwksUri: server.jwksUri, initialRetryMs: 20, failureCooldownMs: 80 });
    store.start();
    await waitUntil('three failed fetches', () => server.fetches() >= 3);
    expect(store.stats.keys).toBe(0);
    const good = await signingKey('ES256');
    server.setKeys([good.jwk]);
    await waitUntil('keys loaded', () => store?.stats.keys === 1);
    const fetches = server.fetches();
    await new Promise((r) => setTimeout(r, 200));
    expect(server.fetches()).toBe(fetches); // loaded: the retries stop
  });

  it('stops retrying when closed', async () => {
    store = new JwksKeyStore({ jwksUri: server.jwksUri, initialRetryMs: 20, failureCooldownMs: 20 });
    store.start();
    await waitUntil('a failed fetch', () => (store?.stats.failures ?? 0) >= 1);
    store.close();
    await new Promise((r) => setTimeout(r, 30)); // a fetch already running may finish
    const fetches = server.fetches();
    await new Promise((r) => setTimeout(r, 150));
    expect(server.fetches()).toBe(fetches);
  });

  describe('ready (for /readyz)', () => {
    it('is false while the first fetch runs, still false when it timed out, and true once keys load', async () => {
      server.hang(true);
      store = new JwksKeyStore({ jwksUri: server.jwksUri, timeoutMs: 300 });
      const first = store.refresh();
      await new Promise((r) => setTimeout(r, 50));
      expect(store.ready).toBe(false);
      await first;
      expect(store.stats.failures).toBe(1);
      expect(store.ready).toBe(false);
      const good = await signingKey('ES256');
      server.setKeys([good.jwk]);
      server.hang(false);
      await store.refresh();
      expect(store.ready).toBe(true);
    });

    it('stays false after one failed fetch (a busy IdP gets its retry) and is true after two (the IdP is down)', async () => {
      let clock = 1_000_000;
      store = new JwksKeyStore({ jwksUri: server.jwksUri, now: () => clock, initialRetryMs: 250 });
      expect(store.ready).toBe(false);
      await store.refresh();
      expect(store.ready).toBe(false);
      clock += 250;
      await store.getKey('k', 'ES256').catch(() => undefined);
      expect(store.stats.failures).toBe(2);
      expect(store.ready).toBe(true);
    });

    it('is true once a key set loaded, also when a later fetch fails', async () => {
      const good = await signingKey('ES256');
      server.setKeys([good.jwk]);
      store = new JwksKeyStore({ jwksUri: server.jwksUri });
      await store.refresh();
      expect(store.ready).toBe(true);
      server.setKeys([]);
      await store.refresh();
      expect(store.stats.failures).toBe(1);
      expect(store.ready).toBe(true);
    });
  });
});
