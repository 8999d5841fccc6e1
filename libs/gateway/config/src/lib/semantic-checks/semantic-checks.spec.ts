import { minimalConfig } from '../test-support/minimal-config';
import { runSemanticChecks } from './index';

type Config = ReturnType<typeof minimalConfig>;
const problemsOf = (mutate: (c: Config) => void) => {
  const config = minimalConfig();
  mutate(config);
  return runSemanticChecks(config);
};
const route = (c: Config, i: number) => c.routes[i] as Record<string, unknown>;

describe('semantic checks', () => {
  it('find nothing wrong with the minimal config', () => {
    expect(runSemanticChecks(minimalConfig())).toEqual([]);
  });

  it('report every problem of a broken file at once, each with its path', () => {
    const problems = problemsOf((c) => {
      c.routes.push(
        { id: 'catalog', match: { path: '/api/catalog/**', methods: ['GET'] }, cluster: 'catalogue', auth: 'public' },
        { id: 'bff', match: { path: '/web/**' }, cluster: 'web', auth: 'nobody', rewrite: { replacePrefix: 'http://evil.example/x' } },
      );
      c.clusters['web'] = { ...c.clusters['web'], retries: { maxAttempts: 3 } };
      c.clusters['orders'] = { ...c.clusters['orders'], retries: { maxAttempts: 3 }, timeouts: { perTryMs: 5000 } };
      c.policies['auth'] = { ...c.policies['auth'], hs: { issuer: 'http://i', audiences: ['a'], algorithms: ['HS256', 'RS256'] } };
      c.policies['cors'] = { open: { origins: ['*'], credentials: true } };
      c.policies['ipRules'] = { office: { allow: ['10.0.0.0/33', '2001:db8::/32', 'not-an-ip'] } };
    });
    expect(problems.map((p) => p.path)).toEqual([
      'routes[2].cluster',
      'routes[3].auth',
      'routes[2].id',
      'routes[3].rewrite.replacePrefix',
      'routes[2].match',
      'routes[1].timeoutMs',
      'clusters.web.retries.maxAttempts',
      'policies.auth.hs.algorithms[0]',
      'policies.ipRules.office.allow[0]',
      'policies.ipRules.office.allow[2]',
      'policies.cors.open.credentials',
    ]);
    expect(problems.find((p) => p.path === 'routes[2].cluster')?.message).toBe('unknown cluster "catalogue" (did you mean "catalog"?)');
  });

  describe('references', () => {
    it('name the unknown cluster or policy and what exists', () => {
      const problems = problemsOf((c) => {
        Object.assign(route(c, 0), { cache: 'missing', rateLimits: ['per-ip', 'per-user'] });
        Object.assign(route(c, 1), { cluster: undefined, weightedClusters: [{ cluster: 'orders', weight: 9 }, { cluster: 'orders-v2', weight: 1 }] });
        c['openapi'] = { sources: [{ cluster: 'nope', path: '/openapi.json' }] };
        c['server'] = { admin: { auth: 'admins', tokenEnv: undefined } };
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          { path: 'routes[0].rateLimits[1]', message: 'unknown rate limit policy "per-user" (defined: per-ip)' },
          { path: 'routes[0].cache', message: 'unknown cache policy "missing" (none are defined)' },
          { path: 'routes[1].weightedClusters[1].cluster', message: 'unknown cluster "orders-v2" (did you mean "orders"?)' },
          { path: 'openapi.sources[0].cluster', message: 'unknown cluster "nope" (defined: catalog, orders, web)' },
          { path: 'server.admin.auth', message: 'unknown auth policy "admins" (defined: public, users)' },
        ]),
      );
    });
  });

  describe('unique ids', () => {
    it('reports duplicate route ids, part keys, canary clusters and destination URLs', () => {
      const problems = problemsOf((c) => {
        c.routes.push({ id: 'orders', match: { path: '/v2/orders/**' }, weightedClusters: [{ cluster: 'orders', weight: 1 }, { cluster: 'orders', weight: 1 }], auth: 'users' });
        c.routes.push({
          id: 'dash',
          match: { path: '/dash', methods: ['GET'] },
          auth: 'users',
          aggregate: { parts: [{ key: 'a', cluster: 'orders', path: '/a', policy: 'required' }, { key: 'a', cluster: 'catalog', path: '/b', policy: 'optional' }] },
        });
        c.clusters['orders'] = { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4102' }, b: { url: 'http://127.0.0.1:4102/' } } };
      });
      expect(problems).toEqual([
        { path: 'routes[2].id', message: 'duplicate route id "orders" (also routes[1])' },
        { path: 'routes[2].weightedClusters[1].cluster', message: 'cluster "orders" is listed twice (also weightedClusters[0])' },
        { path: 'routes[3].aggregate.parts[1].key', message: 'duplicate part key "a" (also parts[0])' },
        { path: 'clusters.orders.destinations.b.url', message: 'same URL as destination "a"' },
      ]);
    });
  });

  describe('route targets and rewrites', () => {
    it('wants exactly one target and a valid pattern', () => {
      const problems = problemsOf((c) => {
        Object.assign(route(c, 0), { cluster: undefined });
        Object.assign(route(c, 1), { weightedClusters: [{ cluster: 'orders', weight: 0 }, { cluster: 'catalog', weight: 0 }] });
        c.routes.push({ id: 'bad', match: { path: '/a/*/b' }, cluster: 'orders', auth: 'users' });
        c.routes.push({ id: 'dots', match: { path: '/a/../b/**' }, cluster: 'orders', auth: 'users' });
        c.routes.push({ id: 'slash', match: { path: '/a/' }, cluster: 'orders', auth: 'users' });
      });
      expect(problems).toEqual([
        { path: 'routes[0]', message: 'needs a target: cluster, weightedClusters or aggregate' },
        { path: 'routes[1]', message: 'has several targets (cluster, weightedClusters): use exactly one' },
        { path: 'routes[1].weightedClusters', message: 'at least one weight must be > 0' },
        { path: 'routes[2].match.path', message: 'invalid path pattern "/a/*/b": wildcards are only allowed as a trailing "/**" (prefix match)' },
        { path: 'routes[3].match.path', message: 'invalid path pattern "/a/../b/**": must not contain "." or ".." segments' },
        { path: 'routes[4].match.path', message: 'invalid path pattern "/a/": must not end with "/" (/a already matches the trailing-slash variant)' },
      ]);
    });

    it('refuses rewrites that leave the cluster (absolute URLs, //host, backslashes) or do not fit the pattern', () => {
      const problems = problemsOf((c) => {
        Object.assign(route(c, 0), { rewrite: { path: 'https://evil.example/{**rest}' } });
        Object.assign(route(c, 1), { rewrite: { replacePrefix: '//evil.example' } });
        c.routes.push({ id: 'x', match: { path: '/x' }, cluster: 'orders', auth: 'users', rewrite: { stripPrefix: true } });
        c.routes.push({ id: 'y', match: { path: '/y/**' }, cluster: 'orders', auth: 'users', rewrite: { stripPrefix: true, path: '/z' } });
        c.routes.push({ id: 'z', match: { path: '/z/**' }, cluster: 'orders', auth: 'users', rewrite: { path: '/v2/{**rest}?debug=1' } });
      });
      expect(problems).toEqual([
        { path: 'routes[0].rewrite.path', message: expect.stringContaining('not a URL: it would proxy to a host outside the cluster') },
        { path: 'routes[1].rewrite.replacePrefix', message: expect.stringContaining('not a URL: it would proxy to a host outside the cluster') },
        { path: 'routes[2].rewrite.stripPrefix', message: 'needs a prefix pattern ("/x/**"); use rewrite.path on an exact route' },
        { path: 'routes[3].rewrite', message: 'use only one of stripPrefix, path' },
        { path: 'routes[4].rewrite.path', message: 'must not contain a query: the request query is forwarded byte-for-byte' },
      ]);
    });
  });

  describe('route conflicts', () => {
    it('reports two routes matching the same requests at the same precedence', () => {
      const problems = problemsOf((c) => {
        c.routes.push({ id: 'orders-get', match: { path: '/api/orders/**', methods: ['GET'] }, cluster: 'orders', auth: 'users' });
        // same pattern but a different order: allowed (order decides)
        c.routes.push({ id: 'orders-late', match: { path: '/api/orders/**', order: 5 }, cluster: 'orders', auth: 'users' });
        // same pattern with a header condition: more specific, allowed
        c.routes.push({ id: 'orders-v2', match: { path: '/api/orders/**', headers: [{ name: 'X-Api-Version', values: ['2'] }] }, cluster: 'orders', auth: 'users' });
        c.routes.push({ id: 'orders-v2-again', match: { path: '/api/orders/**', headers: [{ name: 'x-api-version', values: ['2'] }] }, cluster: 'orders', auth: 'users' });
        // disjoint methods: allowed
        c.routes.push({ id: 'catalog-write', match: { path: '/api/catalog/**', methods: ['POST'] }, cluster: 'catalog', auth: 'users' });
      });
      expect(problems).toEqual([
        { path: 'routes[2].match', message: expect.stringMatching(/^matches the same requests as route "orders" \(routes\[1\]\) at the same precedence \(\/api\/orders\/\*\*, order 0, GET\)/) },
        { path: 'routes[5].match', message: expect.stringContaining('route "orders-v2" (routes[4])') },
      ]);
    });

    it('refuses routes on paths the gateway serves itself', () => {
      const problems = problemsOf((c) => {
        c['openapi'] = { sources: [] };
        c['server'] = { admin: { tokenEnv: 'ADMIN_TOKEN' } };
        c.routes.push({ id: 'm', match: { path: '/metrics' }, cluster: 'orders', auth: 'public' });
        c.routes.push({ id: 'd', match: { path: '/docs' }, cluster: 'orders', auth: 'public' });
        c.routes.push({ id: 'a', match: { path: '/__gateway/**' }, cluster: 'orders', auth: 'public' });
      });
      expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'routes[2].match.path: /metrics is served by the gateway itself; a route there would never be reached',
        'routes[3].match.path: /docs is served by the gateway itself; a route there would never be reached',
        'routes[4].match.path: /__gateway is reserved for the admin endpoints (server.admin.basePath)',
      ]);
    });
  });

  describe('timeouts', () => {
    it('reports retries that cannot fit in the route deadline (attempts × perTry + backoff)', () => {
      const problems = problemsOf((c) => {
        c.clusters['orders'] = { ...c.clusters['orders'], timeouts: { perTryMs: 3000 }, retries: { maxAttempts: 3, backoff: { baseMs: 100, maxMs: 150 } } };
        Object.assign(route(c, 1), { timeoutMs: 9000 });
      });
      expect(problems).toEqual([
        {
          path: 'routes[1].timeoutMs',
          message:
            'the route deadline (timeoutMs) 9000 ms cannot hold the retries of cluster "orders": 3 attempts × perTryMs 3000 + backoff up to 250 ms = 9250 ms; raise the deadline, lower clusters.orders.timeouts.perTryMs, or cap maxAttempts here',
        },
      ]);
    });

    it('uses the server default deadline, honours a route cap on attempts, and keeps parts inside the route budget', () => {
      const problems = problemsOf((c) => {
        c['server'] = { limits: { defaultRouteTimeoutMs: 5000 } };
        c.clusters['orders'] = { ...c.clusters['orders'], timeouts: { perTryMs: 3000 } };
        c.routes.push({ id: 'capped', match: { path: '/capped/**' }, cluster: 'orders', auth: 'users', maxAttempts: 1 });
        c.routes.push({
          id: 'dash',
          match: { path: '/dash', methods: ['GET'] },
          auth: 'users',
          timeoutMs: 2000,
          aggregate: { parts: [{ key: 'a', cluster: 'catalog', path: '/a', policy: 'required', deadlineMs: 2500 }] },
        });
        c.clusters['catalog'] = { ...c.clusters['catalog'], healthChecks: { active: { path: '/healthz', intervalMs: 1000, timeoutMs: 1000 } } };
      });
      // routes[1] inherits the 5 s default; routes[2] caps its attempts at 1 and fits; routes[0]'s
      // cluster has no per-try timeout (attempts share the deadline), so nothing can overflow.
      expect(problems.map((p) => p.path)).toEqual(['routes[1].timeoutMs', 'routes[3].aggregate.parts[0].deadlineMs', 'clusters.catalog.healthChecks.active.timeoutMs']);
      expect(problems[0]?.message).toContain('the route deadline (server.limits.defaultRouteTimeoutMs) 5000 ms cannot hold the retries of cluster "orders": 2 attempts × perTryMs 3000');
      expect(problems[1]?.message).toBe("2500 ms exceeds the route's budget of 2000 ms (timeoutMs); a part deadline lies inside it");
    });
  });

  describe('retries', () => {
    it('refuses retries to a bff cluster without the explicit override', () => {
      expect(problemsOf((c) => (c.clusters['web'] = { ...c.clusters['web'], retries: { maxAttempts: 2 } }))).toEqual([
        { path: 'clusters.web.retries.maxAttempts', message: expect.stringContaining('one retry budget across the chain') },
      ]);
      expect(problemsOf((c) => (c.clusters['web'] = { ...c.clusters['web'], retries: { maxAttempts: 2, allowForBff: true } }))).toEqual([]);
      expect(problemsOf((c) => (c.clusters['orders'] = { ...c.clusters['orders'], retries: { allowForBff: true } }))).toEqual([
        { path: 'clusters.orders.retries.allowForBff', message: 'only applies to kind: bff clusters' },
      ]);
    });
  });

  describe('destinations', () => {
    it('wants origins only and at least one destination with weight', () => {
      const problems = problemsOf((c) => {
        c.clusters['catalog'] = { kind: 'service', destinations: { a: { url: 'http://127.0.0.1:4101/base', weight: 0 }, b: { url: 'http://user:pw@127.0.0.1:4111', weight: 0 } } };
        c.clusters['orders'] = { ...c.clusters['orders'], healthChecks: { active: { path: 'http://elsewhere/healthz' } } };
      });
      expect(problems).toEqual([
        { path: 'clusters.catalog.destinations.a.url', message: 'must be an origin only (http://127.0.0.1:4101): paths belong to routes (rewrite), not to destinations' },
        { path: 'clusters.catalog.destinations.b.url', message: 'must not contain credentials' },
        { path: 'clusters.catalog.destinations', message: 'every destination has weight 0: the cluster could serve nothing' },
        { path: 'clusters.orders.healthChecks.active.path', message: expect.stringContaining('it would proxy to a host outside the cluster') },
      ]);
    });
  });

  describe('auth policies', () => {
    it('allow asymmetric algorithms only and nothing beside anonymous: true', () => {
      const problems = problemsOf((c) => {
        c.policies['auth'] = {
          ...c.policies['auth'],
          weak: { issuer: 'http://i', audiences: ['a'], algorithms: ['none', 'HS512', 'RS257', 'ES256'], identityHeaders: { user: 'authorization' } },
          odd: { anonymous: true, issuer: 'http://i' },
        };
      });
      expect(problems).toEqual([
        { path: 'policies.auth.weak.algorithms[0]', message: '"none" accepts unsigned tokens: only asymmetric algorithms are allowed' },
        { path: 'policies.auth.weak.algorithms[1]', message: expect.stringMatching(/^HS512 is symmetric/) },
        { path: 'policies.auth.weak.algorithms[2]', message: expect.stringMatching(/^unknown algorithm "RS257"/) },
        { path: 'policies.auth.weak.identityHeaders.user', message: expect.stringContaining('cannot carry identity') },
        { path: 'policies.auth.odd', message: 'an anonymous policy takes no other settings (found issuer)' },
      ]);
    });
  });

  describe('route policies', () => {
    it('need a token for token-derived keys, scopes and per-user caches; never share a cache across users', () => {
      const problems = problemsOf((c) => {
        c.policies['rateLimits'] = { ...c.policies['rateLimits'], 'per-user': { keyBy: ['user'], limit: 10, windowMs: 1000 }, keys: { keyBy: ['apiKey'], limit: 10, windowMs: 1000 } };
        c.policies['cache'] = { mine: { scope: 'private-per-user' }, all: { scope: 'shared' } };
        Object.assign(route(c, 0), { scopes: ['catalog:read'], rateLimits: ['per-user'], cache: 'mine' });
        Object.assign(route(c, 1), { rateLimits: ['keys'], cache: 'all', cost: 20, match: { path: '/api/orders/**', methods: ['POST'] } });
      });
      expect(problems).toEqual([
        { path: 'routes[0].scopes', message: 'route "public" is anonymous: there is no token to carry scopes' },
        { path: 'routes[0].rateLimits[0]', message: 'rate limit "per-user" is keyed by user, but the route\'s auth policy "public" is anonymous: there is no user' },
        { path: 'routes[0].cache', message: 'cache scope private-per-user needs an authenticated route (the key includes the user); "public" is anonymous' },
        { path: 'routes[1].rateLimits[0]', message: 'rate limit "keys" is keyed by apiKey, but auth policy "users" does not accept API keys (apiKey)' },
        { path: 'routes[1].cost', message: 'cost 20 exceeds the limit 10 of rate limit "keys": every request would be rejected' },
        { path: 'routes[1].cache', message: "a shared cache on an authenticated route could serve one user's response to another: use private-per-user or shared-per-tenant" },
        { path: 'routes[1].cache', message: 'only GET and HEAD responses are cached, and this route matches neither' },
      ]);
    });

    it('never lets the admin endpoints be anonymous', () => {
      expect(problemsOf((c) => (c['server'] = { admin: { auth: 'public' } }))).toEqual([{ path: 'server.admin.auth', message: 'admin endpoints are never anonymous' }]);
      expect(problemsOf((c) => (c['server'] = { admin: {} }))).toEqual([{ path: 'server.admin', message: expect.stringContaining('needs auth') }]);
    });
  });

  describe('rate limits', () => {
    it('need a window or a quota', () => {
      expect(problemsOf((c) => (c.policies['rateLimits'] = { ...c.policies['rateLimits'], none: { keyBy: ['ip'] }, twice: { keyBy: ['ip'], quotas: [{ limit: 1, period: 'day' }, { limit: 2, period: 'day' }] } }))).toEqual([
        { path: 'policies.rateLimits.none', message: 'needs limit + windowMs, quotas, or both' },
        { path: 'policies.rateLimits.twice.quotas[1].period', message: 'a second day quota: keep one per period' },
      ]);
    });
  });

  describe('CIDRs', () => {
    it('parse IPv4 and IPv6 blocks and single addresses, and report the rest', () => {
      const problems = problemsOf((c) => {
        c['server'] = { trustedProxies: ['10.0.0.0/8', '::1', 'fd00::/8', '300.1.1.1', '10.0.0.0/8/1'] };
        c.policies['ipRules'] = { v6: { deny: ['2001:db8::/129'] }, empty: {} };
      });
      expect(problems).toEqual([
        { path: 'server.trustedProxies[3]', message: '"300.1.1.1" is not an IPv4/IPv6 address or CIDR block' },
        { path: 'server.trustedProxies[4]', message: '"10.0.0.0/8/1" is not a CIDR block' },
        { path: 'policies.ipRules.v6.deny[0]', message: '"2001:db8::/129": the prefix length must be 0-128' },
        { path: 'policies.ipRules.empty', message: 'needs allow or deny entries' },
      ]);
    });
  });

  describe('CORS', () => {
    it('refuses credentials with "*", mixed wildcards and inexact origins', () => {
      const problems = problemsOf((c) => {
        c.policies['cors'] = { a: { origins: ['*', 'http://localhost:3000'], credentials: true }, b: { origins: ['http://localhost:3000/', 'https://*.example.com', 'HTTP://X.COM'] } };
      });
      expect(problems).toEqual([
        { path: 'policies.cors.a.credentials', message: 'credentials need explicit origins: "*" with credentials is refused' },
        { path: 'policies.cors.a.origins', message: '"*" already allows every origin: list exact origins or "*" alone' },
        { path: 'policies.cors.b.origins[0]', message: expect.stringContaining('expected http://localhost:3000') },
        { path: 'policies.cors.b.origins[1]', message: expect.stringContaining('wildcard origins are not supported') },
        { path: 'policies.cors.b.origins[2]', message: expect.stringContaining('expected http://x.com') },
      ]);
    });
  });

  describe('transforms and request rules', () => {
    it('keep managed and identity headers out of reach and compile regular expressions', () => {
      const problems = problemsOf((c) => {
        c.policies['transforms'] = {
          t: { request: { set: { host: 'evil.example', 'x-user-id': 'admin' }, rename: { 'x-trace': 'x-tenant-id' } }, response: { remove: ['content-length'], set: { 'x-user-id': 'fine on responses' } } },
        };
        c.policies['requestRules'] = { r: { deny: [{}, { path: '([a-z' }, { header: { name: 'user-agent', pattern: '(?<' } }] } };
      });
      expect(problems.map((p) => p.path)).toEqual([
        'policies.transforms.t.request.set',
        'policies.transforms.t.request.set',
        'policies.transforms.t.request.rename',
        'policies.transforms.t.response.remove',
        'policies.requestRules.r.deny[0]',
        'policies.requestRules.r.deny[1].path',
        'policies.requestRules.r.deny[2].header.pattern',
      ]);
      expect(problems[0]?.message).toContain('another Host would address a host outside the cluster');
      expect(problems[1]?.message).toContain('"x-user-id" is an identity header');
    });
  });

  describe('aggregates', () => {
    const dashboard = (parts: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
      id: 'dash',
      match: { path: '/dash', methods: ['GET'] },
      auth: 'users',
      aggregate: { parts },
      ...extra,
    });
    const part = (key: string, extra: Record<string, unknown> = {}) => ({ key, cluster: 'orders', path: `/${key}`, policy: 'optional', ...extra });

    it('bound the fan-out by server.limits.maxAggregateParts', () => {
      const problems = problemsOf((c) => {
        c['server'] = { limits: { maxAggregateParts: 2 } };
        c.routes.push(dashboard([part('a'), part('b'), part('c')]));
      });
      expect(problems).toEqual([{ path: 'routes[2].aggregate.parts', message: 'fan-out of 3 parts exceeds server.limits.maxAggregateParts (2)' }]);
    });

    it('are read-only exact routes with fillable placeholders and existing credentials', () => {
      const problems = problemsOf((c) => {
        c.routes.push(
          dashboard(
            [
              part('warnings'),
              part('p', { path: '/customers/{identity.sub}/{query.limit}/{identity.email}' }),
              part('x', { token: 'exchange' }),
              part('y', { audience: 'orders-api' }),
            ],
            { match: { path: '/dash/**', methods: ['GET', 'POST'] } },
          ),
        );
        c.routes.push({ ...dashboard([part('q', { path: '/q/{identity.sub}' })]), id: 'anon', auth: 'public', match: { path: '/anon', methods: ['GET'] } });
      });
      expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
        'routes[2].match.path: an aggregate route matches one exact path (no "/**")',
        'routes[2].match.methods: an aggregate is read-only: list GET (and HEAD) explicitly',
        'routes[2].aggregate.parts[0].key: "warnings" is reserved for the partial-response warnings',
        'routes[2].aggregate.parts[1].path: unknown placeholder {identity.email} (use {identity.sub}, {identity.tenant} or {query.<name>})',
        "routes[2].aggregate.parts[2].audience: is required with token: exchange (the audience of the service's tokens)",
        "routes[2].aggregate.parts[2].token: token: exchange needs server.tokenExchange (the gateway's client at the token endpoint)",
        'routes[2].aggregate.parts[3].audience: only applies with token: exchange',
        'routes[3].aggregate.parts[0].path: {identity.sub} needs an authenticated route; "public" is anonymous',
      ]);
    });
  });

  describe('server', () => {
    it('needs both TLS files and distinct ports and portal paths', () => {
      const problems = problemsOf((c) => {
        c['server'] = { http: { port: 8443 }, https: { cert: '/tls/cert.pem', key: '' } };
        c['openapi'] = { path: '/docs', docsPath: '/docs', sources: [] };
      });
      expect(problems).toEqual([
        { path: 'server.https.key', message: 'TLS needs both cert and key (or neither, to keep https off)' },
        { path: 'openapi.docsPath', message: 'must differ from openapi.path (/docs)' },
      ]);
      expect(problemsOf((c) => (c['server'] = { http: { port: 8443 }, https: { cert: '/c', key: '/k' } }))).toEqual([
        { path: 'server.https.port', message: 'the http listener already uses port 8443' },
      ]);
    });
  });

  it('survive documents of the wrong shape (the schema reports those)', () => {
    expect(runSemanticChecks({ routes: 'x', clusters: [], policies: { auth: 5 } })).toEqual([]);
    expect(runSemanticChecks(null)).toEqual([]);
    expect(runSemanticChecks({ routes: [null, { id: 1, match: 'x' }] })).toEqual([{ path: 'routes[1]', message: 'needs a target: cluster, weightedClusters or aggregate' }]);
  });
});
