import { splitList } from './header-values';

export type Coding = 'br' | 'gzip';

/**
 * Picks the coding to send (RFC 9110 §12.5.3): the highest q-value among the offered codings,
 * ties broken by the offer's order; `*` covers codings not named; q=0 refuses. No header: no
 * coding (identity is always acceptable and the safe choice for unknown clients).
 */
export function negotiateEncoding(accept: string | undefined, offered: readonly Coding[]): Coding | undefined {
  if (accept === undefined) return undefined;
  const q = new Map<string, number>();
  for (const member of splitList(accept)) {
    const [rawName = '', ...params] = member.split(';');
    let name = rawName.trim().toLowerCase();
    if (name === 'x-gzip') name = 'gzip';
    let value = 1;
    for (const p of params) {
      const [k, v] = p.split('=').map((s) => s.trim());
      if (k?.toLowerCase() === 'q') {
        const n = Number(v);
        value = Number.isFinite(n) && n >= 0 && n <= 1 ? n : 0;
      }
    }
    if (name && !q.has(name)) q.set(name, value);
  }
  let best: Coding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const value = q.get(coding) ?? q.get('*') ?? 0;
    if (value > bestQ) {
      best = coding;
      bestQ = value;
    }
  }
  return best;
}
