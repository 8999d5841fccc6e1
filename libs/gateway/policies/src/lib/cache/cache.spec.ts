import { gunzipSync } from 'node:zlib';
import type { UpstreamFetch } from './upstream-fetch';
import { harness } from '../testing/cache-harness';
import { parseSfList, type SfItem } from '../testing/structured-fields';
import { baseConfig, compileTestConfig } from '../testing/test-config';

const config = compileTestConfig(
  baseConfig({
    policies: {
      cache: {
        catalog: { scope: 'shared', defaultTtlMs: 10_000, staleIfErrorMs: 60_000, tags: ['catalog'], tagsHeader: 'x-cache-tags' },
        'per-user': { scope: 'private-per-user', defaultTtlMs: 10_000 },
        'per-tenant': { scope: 'shared-per-tenant', defaultTtlMs: 10_000 },
        small: { scope: 'shared', defaultTtlMs: 60_000, maxEntryBytes: 100, maxTotalBytes: 1_500 },
        plain: { scope: 'shared' },
        swr: { scope: 'shared', defaultTtlMs: 1_000, staleWhileRevalidateMs: 10_000 },
      },
      compression: { gz: { encodings: ['gzip'], minBytes: 10 } },
    },
    routes: [
      { id: 'catalog', match: { path: '/catalog/**' }, cache: 'catalog', compression: 'gz' },
      { id: 'users', match: { path: '/users/**' }, auth: 'users', cache: 'per-user' },
      { id: 'tenant', match: { path: '/tenant/**' }, auth: 'users', cache: 'per-tenant' },
      { id: 'small', match: { path: '/small/**' }, cache: 'small' },
      { id: 'plain', match: { path: '/plain/**' }, cache: 'plain' },
      { id: 'swr', match: { path: '/swr/**' }, cache: 'swr' },
    ],
  }),
);

const json = (body: unknown, headers: Record<string, string> = {}) => ({ status: 200, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const cacheStatus = (value: string | undefined): SfItem => {
  const items = parseSfList(value ?? '');
  expect(items).toHaveLength(1);
  return items[0] as SfItem;
};
const alice = { sub: 'alice', tenant: 'acme' };
const bob = { sub: 'bob', tenant: 'acme' };
const carol = { sub: 'carol', tenant: 'globex' };

describe('edge cache', () => {
  it('stores a miss and serves hits without the upstream, with Age and a valid Cache-Status', async () => {
    const h = harness(config);
    const first = await h.call({ url: '/catalog/items?page=1' }, json({ v: 1 }));
    expect(first.statusCode).toBe(200);
    expect(cacheStatus(first.header('cache-status'))).toEqual({ value: { token: 'edge' }, params: { fwd: { token: 'miss' }, stored: true } });
    h.advance(3_000);
    const second = await h.call({ url: '/catalog/items?page=1' }, json({ v: 2 }));
    expect(second.body.toString()).toBe('{"v":1}');
    expect(second.header('age')).toBe('3');
    expect(second.header('content-length')).toBe('7');
    expect(cacheStatus(second.header('cache-status'))).toEqual({ value: { token: 'edge' }, params: { hit: true, ttl: 7 } });
    expect(h.seen).toHaveLength(1);
    // the raw query is part of the key
    expect((await h.call({ url: '/catalog/items?page=2' }, json({ v: 3 }))).body.toString()).toBe('{"v":3}');
    // HEAD is answered from the GET entry
    const head = await h.call({ method: 'HEAD', url: '/catalog/items?page=1' });
    expect(head.statusCode).toBe(200);
    expect(head.header('content-length')).toBe('7');
    expect(head.body.length).toBe(0);
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('never serves one user’s response to another user or another tenant', async () => {
    const h = harness(config);
    const me = (who: { sub: string; tenant: string }) => json({ me: who.sub });
    expect((await h.call({ url: '/users/me', user: alice }, me(alice))).body.toString()).toBe('{"me":"alice"}');
    expect((await h.call({ url: '/users/me', user: bob }, me(bob))).body.toString()).toBe('{"me":"bob"}');
    expect((await h.call({ url: '/users/me', user: carol }, me(carol))).body.toString()).toBe('{"me":"carol"}');
    expect((await h.call({ url: '/users/me', user: alice }, me(bob))).body.toString()).toBe('{"me":"alice"}');
    expect((await h.call({ url: '/users/me', user: { sub: 'alice', tenant: 'globex' } }, json({ me: 'alice@globex' }))).body.toString()).toBe('{"me":"alice@globex"}');
    expect(h.seen).toHaveLength(4);
    await h.close();
  });

  it('shares shared-per-tenant entries inside a tenant only', async () => {
    const h = harness(config);
    expect((await h.call({ url: '/tenant/report', user: alice }, json({ t: 'acme' }))).body.toString()).toBe('{"t":"acme"}');
    expect((await h.call({ url: '/tenant/report', user: bob }, json({ t: 'other' }))).body.toString()).toBe('{"t":"acme"}');
    expect((await h.call({ url: '/tenant/report', user: carol }, json({ t: 'globex' }))).body.toString()).toBe('{"t":"globex"}');
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('bypasses the cache for callers without the identity the scope needs (API-key traffic)', async () => {
    const h = harness(config);
    const res = await h.call({ url: '/users/me', apiKey: 'k1' }, json({ who: 'k1' }));
    expect(cacheStatus(res.header('cache-status')).params).toEqual({ fwd: { token: 'bypass' } });
    await h.call({ url: '/users/me', apiKey: 'k2' }, json({ who: 'k2' }));
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('keys by the Vary’d request headers', async () => {
    const h = harness(config);
    const lang = (l: string) => json({ lang: l }, { vary: 'Accept-Language' });
    expect((await h.call({ url: '/catalog/hello', headers: { 'accept-language': 'en' } }, lang('en'))).body.toString()).toBe('{"lang":"en"}');
    const de = await h.call({ url: '/catalog/hello', headers: { 'accept-language': 'de' } }, lang('de'));
    expect(de.body.toString()).toBe('{"lang":"de"}');
    expect(cacheStatus(de.header('cache-status')).params['fwd']).toEqual({ token: 'vary-miss' });
    expect((await h.call({ url: '/catalog/hello', headers: { 'accept-language': 'en' } }, lang('x'))).body.toString()).toBe('{"lang":"en"}');
    expect((await h.call({ url: '/catalog/hello', headers: { 'accept-language': 'de' } }, lang('x'))).body.toString()).toBe('{"lang":"de"}');
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it.each([
    ['Cache-Control: no-store', { 'cache-control': 'no-store' }, 'no-store'],
    ['Cache-Control: private', { 'cache-control': 'private, max-age=60' }, 'private'],
    ['Set-Cookie', { 'set-cookie': 'sid=abc' }, 'set-cookie'],
    ['Partial-Response: true', { 'partial-response': 'true' }, 'partial'],
    ['Vary: *', { vary: '*' }, 'vary-star'],
  ])('never stores a response with %s', async (_name, headers, reason) => {
    const h = harness(config);
    const res = await h.call({ url: '/catalog/x' }, json({ a: 1 }, headers));
    expect(cacheStatus(res.header('cache-status')).params).toEqual({ fwd: { token: 'miss' }, detail: { token: reason } });
    await h.call({ url: '/catalog/x' }, json({ a: 2 }, headers));
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('stores only the policy’s statuses (404 yes, 500 no)', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/gone' }, { status: 404, body: 'no' });
    await h.call({ url: '/catalog/gone' }, { status: 404, body: 'no' });
    await h.call({ url: '/catalog/boom' }, { status: 500, body: 'x' });
    await h.call({ url: '/catalog/boom' }, { status: 500, body: 'x' });
    expect(h.seen.map((s) => s.url)).toEqual(['/catalog/gone', '/catalog/boom', '/catalog/boom']);
    await h.close();
  });

  it('stores private responses on a private-per-user scope (a per-user cache)', async () => {
    const h = harness(config);
    await h.call({ url: '/users/me', user: alice }, json({ a: 1 }, { 'cache-control': 'private, max-age=30' }));
    const hit = await h.call({ url: '/users/me', user: alice });
    expect(cacheStatus(hit.header('cache-status')).params['hit']).toBe(true);
    expect(h.seen).toHaveLength(1);
    await h.close();
  });

  it('honours request directives: no-store bypasses, no-cache forwards and refreshes the entry', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/d' }, json({ v: 1 }));
    const noStore = await h.call({ url: '/catalog/d', headers: { 'cache-control': 'no-store' } }, json({ v: 2 }));
    expect(noStore.body.toString()).toBe('{"v":2}');
    expect((await h.call({ url: '/catalog/d' })).body.toString()).toBe('{"v":1}');
    const noCache = await h.call({ url: '/catalog/d', headers: { 'cache-control': 'no-cache' } }, json({ v: 3 }));
    expect(cacheStatus(noCache.header('cache-status')).params).toEqual({ fwd: { token: 'request' }, stored: true });
    expect((await h.call({ url: '/catalog/d' })).body.toString()).toBe('{"v":3}');
    expect(h.seen).toHaveLength(3);
    await h.close();
  });

  it('does not store answers to requests with Authorization on the shared scope unless the response says public', async () => {
    const h = harness(config);
    const auth = { authorization: 'Bearer x' };
    const first = await h.call({ url: '/catalog/a', headers: auth }, json({ v: 1 }));
    expect(cacheStatus(first.header('cache-status')).params['detail']).toEqual({ token: 'authorization' });
    await h.call({ url: '/catalog/b', headers: auth }, json({ v: 1 }, { 'cache-control': 'public, max-age=60' }));
    await h.call({ url: '/catalog/b' });
    expect(h.seen.map((s) => s.url)).toEqual(['/catalog/a', '/catalog/b']);
    await h.close();
  });

  it('takes freshness from s-maxage, max-age or Expires over the policy default, capped by maxTtlMs', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/m' }, json({}, { 'cache-control': 'max-age=2' }));
    await h.call({ url: '/catalog/s' }, json({}, { 'cache-control': 'max-age=2, s-maxage=30' }));
    const date = new Date(h.now()).toUTCString();
    await h.call({ url: '/catalog/e' }, json({}, { date, expires: new Date(h.now() + 20_000).toUTCString() }));
    h.advance(5_000);
    expect(cacheStatus((await h.call({ url: '/catalog/m' })).header('cache-status')).params['fwd']).toEqual({ token: 'stale' });
    expect(cacheStatus((await h.call({ url: '/catalog/s' })).header('cache-status')).params).toEqual({ hit: true, ttl: 25 });
    expect(cacheStatus((await h.call({ url: '/catalog/e' })).header('cache-status')).params['hit']).toBe(true);
    // no explicit freshness and no default: nothing to store
    const plain = await h.call({ url: '/plain/x' });
    expect(cacheStatus(plain.header('cache-status')).params['detail']).toEqual({ token: 'no-freshness' });
    await h.close();
  });

  it('answers conditional requests with 304 from the cache', async () => {
    const h = harness(config);
    const lastModified = 'Mon, 01 Jan 2024 00:00:00 GMT';
    await h.call({ url: '/catalog/c' }, json({ v: 1 }, { etag: '"v1"', 'last-modified': lastModified }));
    const inm = await h.call({ url: '/catalog/c', headers: { 'if-none-match': 'W/"v1"' } });
    expect(inm.statusCode).toBe(304);
    expect(inm.body.length).toBe(0);
    expect(inm.header('etag')).toBe('"v1"');
    expect(inm.header('content-type')).toBeUndefined();
    const ims = await h.call({ url: '/catalog/c', headers: { 'if-modified-since': 'Tue, 02 Jan 2024 00:00:00 GMT' } });
    expect(ims.statusCode).toBe(304);
    const changed = await h.call({ url: '/catalog/c', headers: { 'if-none-match': '"v0"' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.body.toString()).toBe('{"v":1}');
    expect(h.seen).toHaveLength(1);
    await h.close();
  });

  it('revalidates a stale entry with its validators; a 304 refreshes it', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/r' }, json({ v: 1 }, { etag: '"r1"', 'cache-control': 'max-age=10', 'x-version': 'a' }));
    h.advance(11_000);
    const res = await h.call({ url: '/catalog/r', headers: { 'if-none-match': '"client-own"' } }, { status: 304, headers: { etag: '"r1"', 'cache-control': 'max-age=10', 'x-version': 'b' } });
    expect(h.seen[1]?.headers['if-none-match']).toBe('"r1"');
    expect(res.statusCode).toBe(200);
    expect(res.body.toString()).toBe('{"v":1}');
    expect(res.header('x-version')).toBe('b');
    expect(cacheStatus(res.header('cache-status')).params).toEqual({ fwd: { token: 'stale' }, 'fwd-status': 304, stored: true });
    h.advance(5_000);
    const hit = await h.call({ url: '/catalog/r' });
    expect(cacheStatus(hit.header('cache-status')).params).toEqual({ hit: true, ttl: 5 });
    expect(hit.header('x-version')).toBe('b');
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('serves stale on upstream errors within stale-if-error (5xx answers and transport failures)', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/s' }, json({ v: 'good' }));
    h.advance(15_000); // stale by 5 s, inside the 60 s window
    const on503 = await h.call({ url: '/catalog/s' }, { status: 503, headers: { 'content-type': 'text/plain' }, body: 'down' });
    expect(on503.statusCode).toBe(200);
    expect(on503.body.toString()).toBe('{"v":"good"}');
    expect(cacheStatus(on503.header('cache-status')).params).toEqual({ fwd: { token: 'stale' }, 'fwd-status': 503, ttl: -5, detail: { token: 'stale-if-error' } });
    const onFailure = await h.call({ url: '/catalog/s' }, 'fail');
    expect(onFailure.statusCode).toBe(200);
    expect(onFailure.body.toString()).toBe('{"v":"good"}');
    expect(cacheStatus(onFailure.header('cache-status')).params['fwd-status']).toBe(502);
    h.advance(60_000); // past the window: the error goes through
    expect((await h.call({ url: '/catalog/s' }, { status: 503, body: 'down' })).statusCode).toBe(503);
    expect((await h.call({ url: '/catalog/s' }, 'fail')).statusCode).toBe(502);
    await h.close();
  });

  it('never serves stale past must-revalidate', async () => {
    const h = harness(config);
    await h.call({ url: '/catalog/mr' }, json({ v: 1 }, { 'cache-control': 'max-age=1, must-revalidate' }));
    h.advance(2_000);
    expect((await h.call({ url: '/catalog/mr' }, { status: 503, body: 'down' })).statusCode).toBe(503);
    await h.close();
  });

  it('stale-while-revalidate: serves stale at once and refreshes once in the background', async () => {
    let fetches = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fetchUpstream: UpstreamFetch = async (_exchange, options) => {
      fetches++;
      const headers = ['accept', '*/*'];
      options.editHeaders(headers);
      expect(headers).toEqual(['accept', '*/*']); // no validators: the entry had none
      await gate;
      return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"v":2}') };
    };
    const h = harness(config, { fetchUpstream });
    await h.call({ url: '/swr/x' }, json({ v: 1 }));
    h.advance(3_000); // stale by 2 s, inside the 10 s window
    for (let i = 0; i < 3; i++) {
      const res = await h.call({ url: '/swr/x' });
      expect(res.body.toString()).toBe('{"v":1}');
      expect(cacheStatus(res.header('cache-status')).params).toEqual({ hit: true, ttl: -2, detail: { token: 'stale-while-revalidate' } });
    }
    expect(fetches).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 10));
    const fresh = await h.call({ url: '/swr/x' });
    expect(fresh.body.toString()).toBe('{"v":2}');
    expect(cacheStatus(fresh.header('cache-status')).params['hit']).toBe(true);
    expect(h.seen).toHaveLength(1);
    await h.close();
  });

  it('stale-while-revalidate without a background fetcher revalidates inline', async () => {
    const h = harness(config);
    await h.call({ url: '/swr/y' }, json({ v: 1 }));
    h.advance(3_000);
    expect((await h.call({ url: '/swr/y' }, json({ v: 2 }))).body.toString()).toBe('{"v":2}');
    expect(h.seen).toHaveLength(2);
    await h.close();
  });

  it('coalesces concurrent misses: N requests, one upstream call, all served the fresh entry', async () => {
    const h = harness(config);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.call({ url: '/catalog/hot' }, { ...json({ hot: true }), delayMs: 50 })));
    expect(h.seen).toHaveLength(1);
    expect(results.every((r) => r.statusCode === 200 && r.body.toString() === '{"hot":true}')).toBe(true);
    const details = results.map((r) => cacheStatus(r.header('cache-status')).params['detail']);
    expect(details.filter((d) => (d as { token: string } | undefined)?.token === 'coalesced')).toHaveLength(9);
    await h.close();
  });

  it('lets waiters go upstream themselves when the leader’s response cannot be stored', async () => {
    const h = harness(config);
    const results = await Promise.all(Array.from({ length: 4 }, () => h.call({ url: '/catalog/private' }, { ...json({ p: 1 }, { 'cache-control': 'private' }), delayMs: 30 })));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect(h.seen).toHaveLength(4);
    await h.close();
  });

  it('purges by path prefix and by tag (policy tags and the tags header, which clients never see)', async () => {
    const h = harness(config);
    const tagged = await h.call({ url: '/catalog/items/1' }, json({ id: 1 }, { 'x-cache-tags': 'item-1, items' }));
    expect(tagged.header('x-cache-tags')).toBeUndefined();
    await h.call({ url: '/catalog/items/2' }, json({ id: 2 }, { 'x-cache-tags': 'item-2, items' }));
    await h.call({ url: '/catalog/brands/1' }, json({ id: 3 }));
    await h.call({ url: '/users/me', user: alice }, json({ me: 'alice' }));
    expect(await h.engine.cache.purgeTag('item-1')).toBe(1);
    expect(await h.engine.cache.purgeTag('item-1')).toBe(0);
    expect(await h.engine.cache.purgePrefix('/catalog/items/')).toBe(1);
    expect(await h.engine.cache.purgeTag('catalog')).toBe(1);
    expect(await h.engine.cache.purgePrefix('/users/')).toBe(1);
    h.seen.length = 0;
    for (const url of ['/catalog/items/1', '/catalog/items/2', '/catalog/brands/1']) await h.call({ url });
    await h.call({ url: '/users/me', user: alice });
    expect(h.seen).toHaveLength(4);
    await h.close();
  });

  it('stays within maxTotalBytes (LRU) and skips bodies over maxEntryBytes, declared or streamed', async () => {
    const h = harness(config);
    const body = (i: number) => `{"i":${i},"pad":"${'x'.repeat(40)}"}`;
    for (let i = 0; i < 10; i++) await h.call({ url: `/small/${i}` }, { status: 200, body: body(i) });
    await h.call({ url: '/small/9' }); // most recent: still there
    await h.call({ url: '/small/0' }); // oldest: evicted
    expect(h.seen.slice(10).map((s) => s.url)).toEqual(['/small/0']);
    const big = await h.call({ url: '/small/big' }, { status: 200, body: 'y'.repeat(200) });
    expect(cacheStatus(big.header('cache-status')).params['detail']).toEqual({ token: 'too-large' });
    const streamed = await h.call({ url: '/small/streamed' }, { status: 200, body: ['y'.repeat(80), 'y'.repeat(80)] });
    expect(streamed.body.length).toBe(160);
    await h.call({ url: '/small/streamed' }, { status: 200, body: 'again' });
    expect(h.seen.filter((s) => s.url === '/small/streamed')).toHaveLength(2);
    await h.close();
  });

  it('stores the uncompressed body and compresses hits per client', async () => {
    const h = harness(config);
    const text = JSON.stringify({ words: 'lorem ipsum '.repeat(20) });
    const gz = await h.call({ url: '/catalog/big', headers: { 'accept-encoding': 'gzip' } }, { status: 200, headers: { 'content-type': 'application/json' }, body: text });
    expect(gz.header('content-encoding')).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(text);
    const plain = await h.call({ url: '/catalog/big' });
    expect(plain.header('content-encoding')).toBeUndefined();
    expect(plain.body.toString()).toBe(text);
    expect(plain.header('vary')).toBe('Accept-Encoding');
    const gzHit = await h.call({ url: '/catalog/big', headers: { 'accept-encoding': 'gzip' } });
    expect(cacheStatus(gzHit.header('cache-status')).params['hit']).toBe(true);
    expect(gunzipSync(gzHit.body).toString()).toBe(text);
    expect(h.seen).toHaveLength(1);
    await h.close();
  });

  it('marks non-GET requests on cached routes and never stores them', async () => {
    const h = harness(config);
    const post = await h.call({ method: 'POST', url: '/catalog/items' }, json({ created: true }));
    expect(cacheStatus(post.header('cache-status')).params).toEqual({ fwd: { token: 'method' } });
    await h.call({ url: '/catalog/items' }, json({ list: true }));
    expect(h.seen).toHaveLength(2);
    await h.close();
  });
});
