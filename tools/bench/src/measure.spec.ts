import { interleaved, median, pairedDifference, pairedRatio, parseFlags, withConcurrency } from './measure';

describe('bench measure helpers', () => {
  it('takes the median of odd and even samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes the median of per-round ratios, so a slow round moves both sides of its pair', () => {
    // Round 2 ran on a machine twice as slow: the ratio of medians would say 1.5, each round says 1.2.
    expect(pairedRatio([12, 24, 12], [10, 20, 10])).toBeCloseTo(1.2);
    expect(median([12, 24, 12]) / median([10, 20, 10])).toBeCloseTo(1.2);
    expect(pairedRatio([12, 24, 24], [10, 20, 10])).toBeCloseTo(1.2);
    expect(median([12, 24, 24]) / median([10, 20, 10])).toBeCloseTo(2.4);
    expect(() => pairedRatio([1, 2], [1])).toThrow(/differ/);
  });

  it('takes the median of per-round differences, so drift between rounds cancels out', () => {
    // Rounds 2 and 3 ran on a slow machine, but round 3's reference got a quiet moment: the
    // difference of medians would say +11 ms, the rounds say +1 ms.
    expect(pairedDifference([2, 12, 12], [1, 11, 1])).toBe(1);
    expect(median([2, 12, 12]) - median([1, 11, 1])).toBe(11);
    expect(pairedDifference([2, 2], [1, 1])).toBe(1);
    expect(() => pairedDifference([1], [])).toThrow(/differ/);
  });

  it('parses known numeric flags over defaults and rejects anything else', () => {
    expect(parseFlags(['--calls', '10'], { calls: 1, rounds: 2 })).toEqual({ calls: 10, rounds: 2 });
    expect(() => parseFlags(['--nope', '1'], { calls: 1 })).toThrow(/unknown/);
    expect(() => parseFlags(['--calls', 'many'], { calls: 1 })).toThrow(/invalid/);
    expect(parseFlags(['--compare', '/tmp/main.js'], { calls: 1, compare: '' })).toEqual({ calls: 1, compare: '/tmp/main.js' });
    expect(() => parseFlags(['--compare'], { compare: '' })).toThrow(/invalid/);
  });

  it('runs exactly n operations with at most c in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    let done = 0;
    await withConcurrency(50, 4, async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      done++;
    });
    expect(done).toBe(50);
    expect(peak).toBe(4);
  });

  it('interleaves variants, rotating their order each round', async () => {
    const order: string[] = [];
    const variant = (name: string) => ({ name, run: async (calls: number) => void (calls === 10 && order.push(name)) });
    const samples = await interleaved([variant('a'), variant('b'), variant('c')], 10, 3);
    expect(order).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
    expect(samples.get('a')).toHaveLength(3);
  });
});
