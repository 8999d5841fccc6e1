import { validateSchema } from './schema-validation';
import { minimalConfig } from './test-support/minimal-config';

describe('validateSchema', () => {
  it('accepts the minimal config', () => {
    expect(validateSchema(minimalConfig())).toEqual([]);
  });

  it('reports every unknown key with its path, and what replaced renamed keys', () => {
    const config = minimalConfig();
    config.routes[0] = { ...config.routes[0], timeout: 5000, path: '/x' };
    config.clusters['catalog'] = { ...config.clusters['catalog'], retries: { attempts: 3 }, timeouts: { headersTimeout: 10 }, colour: 'blue' };
    config.policies['auth'] = { ...config.policies['auth'], bad: { issuer: 'http://i', audience: 'x', audiences: ['x'] } };
    config['listen'] = 8080;
    const problems = validateSchema(config);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'routes[0].timeout', message: 'unknown key (renamed: use timeoutMs)' },
        { path: 'routes[0].path', message: 'unknown key (renamed: use match.path)' },
        { path: 'clusters.catalog.retries.attempts', message: 'unknown key (renamed: use maxAttempts (total attempts, including the first))' },
        { path: 'clusters.catalog.timeouts.headersTimeout', message: 'unknown key (renamed: use perTryMs)' },
        { path: 'policies.auth.bad.audience', message: 'unknown key (renamed: use audiences)' },
        { path: 'listen', message: 'unknown key (renamed: use server.http)' },
      ]),
    );
    const colour = problems.find((p) => p.path === 'clusters.catalog.colour');
    expect(colour?.message).toMatch(/^unknown key \(known keys: kind, destinations, loadBalancing/);
    expect(problems).toHaveLength(7);
  });

  it('reports types, ranges, enums and id syntax with the offending value', () => {
    const config = minimalConfig();
    config.routes[1] = { ...config.routes[1], id: 'Orders', timeoutMs: '5s', cost: 0 };
    config.clusters['orders'] = { ...config.clusters['orders'], kind: 'backend', loadBalancing: 'random' };
    config.policies['auth'] = { ...config.policies['auth'], users: { issuer: 'http://i', audiences: ['x'], clockToleranceSec: 120 } };
    expect(validateSchema(config)).toEqual([
      { path: 'clusters.orders.kind', message: 'must be one of "service", "bff" (got "backend")' },
      { path: 'clusters.orders.loadBalancing', message: 'must be one of "round-robin", "least-requests", "power-of-two-choices" (got "random")' },
      { path: 'policies.auth.users.clockToleranceSec', message: 'must be <= 60 (got 120)' },
      { path: 'routes[1].id', message: 'invalid value "Orders": ids are 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit' },
      { path: 'routes[1].cost', message: 'must be >= 1 (got 0)' },
      { path: 'routes[1].timeoutMs', message: 'must be an integer (got "5s")' },
    ]);
  });

  it('requires an auth decision on every route and says how to make one', () => {
    const config = minimalConfig();
    delete config.routes[1]?.['auth'];
    expect(validateSchema(config)).toEqual([
      { path: 'routes[1].auth', message: expect.stringContaining('every route makes an explicit auth decision') },
    ]);
  });

  it('reports invalid map keys (ids) at the key', () => {
    const config = minimalConfig();
    config.clusters['Bad Id'] = { kind: 'service', destinations: { a: { url: 'http://x' } } };
    expect(validateSchema(config)).toEqual([{ path: 'clusters["Bad Id"]', message: expect.stringMatching(/^invalid name "Bad Id": ids are/) }]);
  });

  it('asks for issuer and audiences unless a policy is anonymous; pairs limit with windowMs', () => {
    const config = minimalConfig();
    config.policies['auth'] = { half: { audiences: ['x'] } };
    config.policies['rateLimits'] = { r: { keyBy: ['ip'], limit: 5 } };
    expect(validateSchema(config)).toEqual([
      { path: 'policies.auth.half.issuer', message: 'is required for a JWT policy (or make the policy `anonymous: true`)' },
      { path: 'policies.rateLimits.r.windowMs', message: 'is required when limit is set' },
    ]);
  });

  it('caps the default route timeout at 15 s and passive ejection below 100 %', () => {
    const config = minimalConfig();
    config['server'] = { limits: { defaultRouteTimeoutMs: 20_000 } };
    config.clusters['orders'] = { ...config.clusters['orders'], healthChecks: { passive: { maxEjectedPercent: 100 } } };
    expect(validateSchema(config)).toEqual([
      { path: 'server.limits.defaultRouteTimeoutMs', message: 'must be <= 15000 (got 20000)' },
      { path: 'clusters.orders.healthChecks.passive.maxEjectedPercent', message: 'must be < 100 (got 100)' },
    ]);
  });

  it('rejects a document that is not an object, and a wrong version', () => {
    expect(validateSchema([])).toEqual([{ path: '(root)', message: 'must be an object (got an array)' }]);
    expect(validateSchema({ ...minimalConfig(), version: 2 })).toEqual([{ path: 'version', message: 'must be 1 (got 2)' }]);
  });
});
