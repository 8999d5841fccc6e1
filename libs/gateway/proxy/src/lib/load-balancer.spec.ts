import { createDestination } from './destination';
import { createBalancer } from './load-balancer';
import { OutlierDetector } from './outlier-detection';

const three = () => [createDestination('a', 'http://127.0.0.1:1'), createDestination('b', 'http://127.0.0.1:2'), createDestination('c', 'http://127.0.0.1:3', 2)];

describe('balancers', () => {
  it('round robin interleaves by weight', () => {
    const ds = three();
    const pick = createBalancer('round-robin');
    const seq = Array.from({ length: 8 }, () => pick(ds)?.id).join('');
    const count = (id: string) => seq.split('').filter((c) => c === id).length;
    expect([count('a'), count('b'), count('c')]).toEqual([2, 2, 4]);
    expect(new Set(seq.slice(0, 4))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('least requests picks the least loaded', () => {
    const ds = three();
    (ds[0] as { active: number }).active = 3;
    (ds[1] as { active: number }).active = 1;
    (ds[2] as { active: number }).active = 4; // weight 2 → load 2
    expect(createBalancer('least-requests')(ds)?.id).toBe('b');
  });

  it('power of two choices never picks the busier of its two candidates', () => {
    const ds = three();
    (ds[0] as { active: number }).active = 10;
    const rolls = [0, 0.5]; // candidates a and b
    let i = 0;
    const pick = createBalancer('power-of-two-choices', () => rolls[i++ % 2] as number);
    expect(pick(ds)?.id).toBe('b');
  });
});

describe('outlier detection', () => {
  const settings = { consecutiveFailures: 3, ejectionMs: 1000, maxEjectedPercent: 50 };

  it('ejects after consecutive failures, for a while', () => {
    const ds = three();
    const od = new OutlierDetector(ds, settings);
    const a = ds[0]!;
    expect(od.onFailure(a, 0)).toBe(false);
    expect(od.onFailure(a, 0)).toBe(false);
    expect(od.onFailure(a, 0)).toBe(true);
    expect(od.available(500).map((d) => d.id)).toEqual(['b', 'c']);
    expect(od.available(1001).map((d) => d.id)).toEqual(['a', 'b', 'c']);
  });

  it('a success resets the failure count', () => {
    const ds = three();
    const od = new OutlierDetector(ds, settings);
    od.onFailure(ds[0]!, 0);
    od.onFailure(ds[0]!, 0);
    od.onSuccess(ds[0]!);
    expect(od.onFailure(ds[0]!, 0)).toBe(false);
  });

  it('never ejects more than the allowed share, and never all', () => {
    const ds = three();
    const od = new OutlierDetector(ds, { ...settings, maxEjectedPercent: 99 });
    for (const d of ds) for (let i = 0; i < 3; i++) od.onFailure(d, 0);
    expect(od.ejectedCount(1)).toBe(2);
    expect(od.available(1).length).toBe(1);
  });

  it('uses every destination when all are unhealthy (panic mode)', () => {
    const ds = three();
    for (const d of ds) d.healthy = false;
    expect(new OutlierDetector(ds, settings).available(0)).toHaveLength(3);
  });
});
