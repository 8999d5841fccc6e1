import { APP_PLATFORMS, type AppPlatform } from '@edge/contracts-mobile';

const VERSION = /^(\d{1,6})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?$/;

/** `3.12.1` → [3, 12, 1]; missing parts are 0; anything else is undefined. */
export function parseVersion(raw: string): [number, number, number] | undefined {
  const match = VERSION.exec(raw.trim());
  if (!match) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function isPlatform(value: string): value is AppPlatform {
  return (APP_PLATFORMS as readonly string[]).includes(value);
}

/**
 * Metric labels for app versions, bounded: the first `max` distinct major.minor values get
 * their own label, later ones "other" (a client cannot explode the metric's cardinality).
 */
export class VersionLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max: number) {}

  labelOf(version: readonly number[]): string {
    const label = `${version[0]}.${version[1]}`;
    if (this.known.has(label)) return label;
    if (this.known.size >= this.max) return 'other';
    this.known.add(label);
    return label;
  }
}
