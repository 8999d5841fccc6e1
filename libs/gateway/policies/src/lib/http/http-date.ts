/** IMF-fixdate (and the obsolete forms Date.parse understands) → epoch ms; undefined if invalid. */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
