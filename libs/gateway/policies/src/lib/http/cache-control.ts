import { splitList } from './header-values';

/** Cache-Control directives, lower-case names; `true` for directives without a value. */
export type CacheDirectives = ReadonlyMap<string, string | true>;

const EMPTY: CacheDirectives = new Map();

/** RFC 9111 §5.2: comma-separated directives, values as token or quoted-string. */
export function parseCacheControl(value: string | undefined): CacheDirectives {
  if (!value) return EMPTY;
  const map = new Map<string, string | true>();
  for (const member of splitList(value)) {
    const eq = member.indexOf('=');
    const name = (eq < 0 ? member : member.slice(0, eq)).trim().toLowerCase();
    if (!name || map.has(name)) continue; // the first occurrence wins
    if (eq < 0) {
      map.set(name, true);
      continue;
    }
    let v = member.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    map.set(name, v);
  }
  return map;
}

/**
 * A delta-seconds directive (max-age, s-maxage, stale-if-error...): undefined when absent;
 * an invalid value counts as 0 (RFC 9111 §4.2.1: treat as stale), huge values are capped.
 */
export function deltaSeconds(directives: CacheDirectives, name: string): number | undefined {
  const v = directives.get(name);
  if (v === undefined) return undefined;
  if (v === true || !/^\d+$/.test(v)) return 0;
  return Math.min(Number(v), 2 ** 31);
}
