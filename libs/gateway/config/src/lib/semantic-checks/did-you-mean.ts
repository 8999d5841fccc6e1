/** `unknown cluster "ordrs" (did you mean "orders"?)` — or the list of names when it is short. */
export function unknownName(what: string, name: string, known: readonly string[]): string {
  const close = known.filter((k) => distance(k, name) <= Math.max(2, Math.floor(name.length / 3)));
  const hint =
    close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(' or ')}?)` : known.length === 0 ? ` (none are defined)` : known.length <= 8 ? ` (defined: ${known.join(', ')})` : '';
  return `unknown ${what} "${name}"${hint}`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
