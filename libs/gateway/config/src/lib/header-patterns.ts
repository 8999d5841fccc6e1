/** A precompiled set of header name patterns (`x-user-*`, `server`); names compared lower-case. */
export interface HeaderNameMatcher {
  readonly patterns: readonly string[];
  /** `name` as Node gives it: lower-case. */
  matches(name: string): boolean;
}

export function headerNameMatcher(patterns: readonly string[]): HeaderNameMatcher {
  const lower = [...new Set(patterns.map((p) => p.toLowerCase()))];
  if (lower.length === 0) return { patterns: lower, matches: () => false };
  const exact = new Set(lower.filter((p) => !p.includes('*')));
  const wild = lower.filter((p) => p.includes('*'));
  // One alternation for all wildcard patterns: one regex test per header, not one per pattern.
  const regex = wild.length > 0 ? new RegExp(`^(?:${wild.map((p) => p.split('*').map(escapeRegex).join('.*')).join('|')})$`) : null;
  return {
    patterns: lower,
    matches: (name) => exact.has(name) || (regex !== null && regex.test(name)),
  };
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Headers the gateway manages itself; configuration may not add, set, rename or remove them. */
export const MANAGED_HEADERS = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'host',
  'content-length',
] as const;
