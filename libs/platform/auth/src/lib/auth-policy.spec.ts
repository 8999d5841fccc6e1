import { ConfigError } from '@edge/config';
import { resolveAuthPolicy, type AuthPolicy } from './auth-policy';

const base: AuthPolicy = { issuer: 'http://localhost:4000', audience: 'orders-api' };

function problemsOf(policy: unknown): string[] {
  try {
    resolveAuthPolicy(policy as AuthPolicy);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.key}: ${p.message}`);
  }
}

describe('resolveAuthPolicy', () => {
  it('fills defaults, always requires exp and sub, and freezes', () => {
    const policy = resolveAuthPolicy(base);
    expect(policy).toMatchObject({
      audiences: ['orders-api'],
      algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
      clockToleranceSec: 5,
      tenantClaim: 'tenant',
      jwks: { timeoutMs: 2000, cooldownMs: 30_000, refreshIntervalMs: 600_000 },
      tokenCache: { maxEntries: 10_000 },
    });
    expect(policy.requiredClaims).toEqual(expect.arrayContaining(['exp', 'sub']));
    expect(Object.isFrozen(policy)).toBe(true);
    expect(resolveAuthPolicy(policy)).toBe(policy);
    expect(resolveAuthPolicy({ ...base, requiredClaims: ['tenant'] }).requiredClaims).toEqual(['exp', 'sub', 'tenant']);
  });

  it.each(['HS256', 'HS512', 'none', 'NONE', 'None'])('rejects the algorithm %s', (alg) => {
    expect(problemsOf({ ...base, algorithms: ['RS256', alg] })).toEqual([expect.stringMatching(new RegExp(`^algorithms: "${alg}"`))]);
  });

  it('rejects a clock tolerance above 60 s', () => {
    expect(problemsOf({ ...base, clockToleranceSec: 61 })).toEqual(['clockToleranceSec: must be between 0 and 60 seconds']);
    expect(problemsOf({ ...base, clockToleranceSec: 60 })).toEqual([]);
  });

  it('reports every problem at once, including unknown and renamed keys', () => {
    const problems = problemsOf({ audience: [], jwksUri: 'ftp://x', clockTolerance: 5, algorithms: [], jwks: { timeout: 1 }, tokenCache: { maxEntries: 0 } });
    expect(problems).toEqual(
      expect.arrayContaining([
        'issuer: is required',
        'audience: must name at least one audience',
        'jwksUri: must be an absolute http(s) URL',
        'clockTolerance: is not supported, use clockToleranceSec',
        'algorithms: must be a non-empty list',
        'jwks.timeout: is not a known setting',
        'tokenCache.maxEntries: must be a number between 1 and 1000000',
      ]),
    );
    expect(problems).toHaveLength(7);
  });
});
