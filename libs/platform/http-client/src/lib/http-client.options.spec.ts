import { HttpClientConfigError, resolveHttpClientOptions, type HttpClientOptions } from './http-client.options';

describe('resolveHttpClientOptions', () => {
  it('fills defaults and freezes the result', () => {
    const resolved = resolveHttpClientOptions({ name: 'orders', baseUrl: 'http://127.0.0.1:4102' });
    expect(resolved).toMatchObject({ timeoutMs: 2_000, connections: 32, retries: { attempts: 3, budgetRatio: 0.2 }, breaker: { volumeThreshold: 20 }, bulkhead: { maxConcurrent: 64 } });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(Object.isFrozen(resolved.retries)).toBe(true);
  });

  it('reports every problem at once, unknown keys included', () => {
    const bad = {
      name: 'Orders!',
      baseUrl: 'ftp://user:pw@host/x?y',
      timeoutMs: 0,
      retries: { attempts: 0, budgetRatio: 2, jitter: true },
      breaker: { errorThresholdPercentage: 150 },
      bulkhead: { maxConcurrent: -1 },
      timeout: 5,
    } as unknown as HttpClientOptions;
    let error: unknown;
    try {
      resolveHttpClientOptions(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HttpClientConfigError);
    const problems = (error as HttpClientConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name/),
        expect.stringMatching(/^timeout is not an option/),
        'baseUrl must be http or https',
        expect.stringMatching(/credentials/),
        expect.stringMatching(/query or fragment/),
        expect.stringMatching(/^timeoutMs/),
        expect.stringMatching(/^retries\.jitter is not an option/),
        expect.stringMatching(/^retries\.attempts/),
        expect.stringMatching(/^retries\.budgetRatio/),
        expect.stringMatching(/^breaker\.errorThresholdPercentage/),
        expect.stringMatching(/^bulkhead\.maxConcurrent/),
      ]),
    );
    expect(problems).toHaveLength(11);
  });
});
