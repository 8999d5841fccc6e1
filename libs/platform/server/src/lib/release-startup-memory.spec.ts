import { getHeapSpaceStatistics } from 'node:v8';
import { releaseStartupMemory } from './release-startup-memory';

const newSpaceBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

describe('releaseStartupMemory', () => {
  it('shrinks the young generation that start-up grew, without exposing gc() to the app', () => {
    // What start-up does: many allocations that survive a while (modules, compiled config).
    let keep: unknown[][] = [];
    for (let round = 0; round < 40; round++) {
      keep.push(Array.from({ length: 20_000 }, (_, i) => ({ i, s: `v${i}` })));
      if (keep.length > 4) keep = keep.slice(-4);
    }
    keep = [];
    const grown = newSpaceBytes();
    expect(grown).toBeGreaterThan(2 * 1024 * 1024);

    releaseStartupMemory();

    expect(newSpaceBytes()).toBeLessThan(grown / 2);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(keep).toEqual([]);
  });

  it('can run more than once', () => {
    releaseStartupMemory();
    expect(() => releaseStartupMemory()).not.toThrow();
  });
});
