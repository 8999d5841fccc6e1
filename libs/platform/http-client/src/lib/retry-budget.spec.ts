import { RetryBudget } from './retry-budget';

describe('RetryBudget', () => {
  it('allows retries up to ratio × calls + the per-second floor within the window', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 1, windowMs: 10_000 });
    const t = 1_000_000;
    for (let i = 0; i < 100; i++) budget.recordCall(t);
    let granted = 0;
    while (budget.tryRetry(t)) granted++;
    // 0.2 × 100 + 1/s × 10 s
    expect(granted).toBe(30);
  });

  it('gives a quiet dependency only the floor', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0.5, windowMs: 4_000 });
    let granted = 0;
    while (budget.tryRetry(0)) granted++;
    expect(granted).toBe(2);
  });

  it('forgets calls and retries that slid out of the window', () => {
    const budget = new RetryBudget({ ratio: 0.5, minPerSecond: 0, windowMs: 1_000, buckets: 10 });
    for (let i = 0; i < 10; i++) budget.recordCall(0);
    for (let i = 0; i < 5; i++) expect(budget.tryRetry(50)).toBe(true);
    expect(budget.tryRetry(50)).toBe(false);
    expect(budget.snapshot(950)).toEqual({ calls: 10, retries: 5 });
    // Bucket 0 leaves the window at t = 1000: its calls and retries are gone.
    expect(budget.snapshot(1_000)).toEqual({ calls: 0, retries: 0 });
    expect(budget.tryRetry(1_000)).toBe(false);
    budget.recordCall(1_500);
    budget.recordCall(1_500);
    expect(budget.tryRetry(1_500)).toBe(true);
    expect(budget.tryRetry(1_500)).toBe(false);
    // A long silence clears everything, however many windows passed.
    expect(budget.snapshot(99_000)).toEqual({ calls: 0, retries: 0 });
  });
});
