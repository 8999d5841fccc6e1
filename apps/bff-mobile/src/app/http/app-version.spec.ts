import { compareVersions, isPlatform, parseVersion, VersionLabels } from './app-version';

describe('app versions', () => {
  it('parses major[.minor[.patch]] and nothing else', () => {
    expect(parseVersion('3')).toEqual([3, 0, 0]);
    expect(parseVersion('3.12')).toEqual([3, 12, 0]);
    expect(parseVersion(' 3.12.1 ')).toEqual([3, 12, 1]);
    for (const bad of ['', 'v3', '3.1.2.4', '3..1', '3.1-beta', 'latest', '1234567.0']) expect(parseVersion(bad)).toBeUndefined();
  });

  it('compares numerically, part by part', () => {
    expect(compareVersions([3, 10, 0], [3, 9, 9])).toBeGreaterThan(0);
    expect(compareVersions([2, 5, 0], [2, 5, 1])).toBeLessThan(0);
    expect(compareVersions([1, 0, 0], [1, 0, 0])).toBe(0);
  });

  it('knows the two platforms', () => {
    expect(isPlatform('ios')).toBe(true);
    expect(isPlatform('android')).toBe(true);
    expect(isPlatform('windows')).toBe(false);
  });

  it('labels versions by major.minor, at most `max` of them, then "other"', () => {
    const labels = new VersionLabels(2);
    expect(labels.labelOf([3, 1, 4])).toBe('3.1');
    expect(labels.labelOf([3, 2, 0])).toBe('3.2');
    expect(labels.labelOf([3, 3, 0])).toBe('other');
    expect(labels.labelOf([3, 1, 9])).toBe('3.1');
  });
});
