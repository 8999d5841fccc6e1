import type { PartDefinition } from './endpoint-spec';

/** Every problem of one or more endpoint declarations, found at start-up. */
export class CompositionConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid BFF endpoint declaration(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'CompositionConfigError';
  }
}

export const NAME_PATTERN = /^[a-z][a-zA-Z0-9-]{0,62}$/;
const PART_KEYS = new Set(['dependency', 'deadlineMs', 'policy', 'needs', 'fallback', 'maxStaleMs', 'staleKey', 'call']);
const POLICIES = new Set(['required', 'optional', 'stale-allowed']);

const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function checkPart(endpoint: string, deadlineMs: number, part: PartDefinition, names: ReadonlySet<string>, problems: string[]): void {
  const at = `${endpoint}.${part.name}`;
  if (!NAME_PATTERN.test(part.name)) problems.push(`${at}: part names match [a-z][a-zA-Z0-9-]* (they become warning codes and metric labels)`);
  for (const key of Object.keys(part)) {
    if (key !== 'name' && !PART_KEYS.has(key)) problems.push(`${at}: ${key} is not an option (known: ${[...PART_KEYS].join(', ')})`);
  }
  if (typeof part.dependency !== 'string' || !NAME_PATTERN.test(part.dependency)) problems.push(`${at}: dependency must name an http client`);
  if (!positiveInt(part.deadlineMs)) problems.push(`${at}: deadlineMs must be a positive integer (ms)`);
  else if (part.deadlineMs > deadlineMs) problems.push(`${at}: deadlineMs ${part.deadlineMs} exceeds the endpoint budget of ${deadlineMs} ms`);
  if (typeof part.call !== 'function') problems.push(`${at}: call must be a function`);
  if (!POLICIES.has(part.policy)) problems.push(`${at}: policy must be required, optional or stale-allowed (got ${String(part.policy)})`);
  if (part.fallback !== undefined && typeof part.fallback !== 'function') problems.push(`${at}: fallback must be a function returning the value`);
  if (part.policy === 'optional' && part.fallback === undefined) problems.push(`${at}: an optional part needs a fallback`);
  if (part.policy === 'required' && part.fallback !== undefined) problems.push(`${at}: a required part cannot have a fallback (make it optional)`);
  if (part.policy === 'stale-allowed') {
    if (!positiveInt(part.maxStaleMs)) problems.push(`${at}: a stale-allowed part needs maxStaleMs (a positive integer)`);
    if (typeof part.staleKey !== 'function') problems.push(`${at}: a stale-allowed part needs staleKey(input) (values are reused only under the same key, never across callers by accident)`);
  } else {
    if (part.maxStaleMs !== undefined) problems.push(`${at}: maxStaleMs only applies to stale-allowed parts`);
    if (part.staleKey !== undefined) problems.push(`${at}: staleKey only applies to stale-allowed parts`);
  }
  for (const need of part.needs ?? []) {
    if (need === part.name) problems.push(`${at}: needs itself`);
    else if (!names.has(need)) problems.push(`${at}: needs unknown part "${need}"`);
  }
}

/** Cycles among `needs`, each reported once as a path (a → b → a). */
function findCycles(parts: readonly PartDefinition[]): string[][] {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const visit = (name: string, path: string[]): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      cycles.push([...path.slice(path.indexOf(name)), name]);
      return;
    }
    state.set(name, 'visiting');
    for (const need of byName.get(name)?.needs ?? []) if (byName.has(need) && need !== name) visit(need, [...path, name]);
    state.set(name, 'done');
  };
  for (const part of parts) visit(part.name, []);
  return cycles;
}

/** The longest chain of part deadlines ending at each part (parts run after what they need). */
function chainBudgets(parts: readonly PartDefinition[]): Map<string, { ms: number; path: string[] }> {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const memo = new Map<string, { ms: number; path: string[] }>();
  const longest = (name: string): { ms: number; path: string[] } => {
    const known = memo.get(name);
    if (known) return known;
    const part = byName.get(name) as PartDefinition;
    memo.set(name, { ms: part.deadlineMs, path: [name] }); // guards against cycles (reported separately)
    let best = { ms: 0, path: [] as string[] };
    for (const need of part.needs ?? []) {
      if (!byName.has(need)) continue;
      const chain = longest(need);
      if (chain.ms > best.ms) best = chain;
    }
    const result = { ms: best.ms + (positiveInt(part.deadlineMs) ? part.deadlineMs : 0), path: [...best.path, name] };
    memo.set(name, result);
    return result;
  };
  for (const part of parts) longest(part.name);
  return memo;
}

/** Problems of one endpoint declaration (all of them, in declaration order). */
export function endpointProblems(name: string, deadlineMs: number, parts: readonly PartDefinition[]): string[] {
  const problems: string[] = [];
  if (!NAME_PATTERN.test(name)) problems.push(`${name}: endpoint names match [a-z][a-zA-Z0-9-]*`);
  if (!positiveInt(deadlineMs)) problems.push(`${name}: deadlineMs must be a positive integer (ms)`);
  if (parts.length === 0) problems.push(`${name}: declares no parts`);
  const names = new Set<string>();
  for (const part of parts) {
    if (names.has(part.name)) problems.push(`${name}.${part.name}: declared twice`);
    names.add(part.name);
  }
  for (const part of parts) checkPart(name, positiveInt(deadlineMs) ? deadlineMs : Infinity, part, names, problems);
  const cycles = findCycles(parts);
  for (const cycle of cycles) problems.push(`${name}: parts need each other in a cycle: ${cycle.join(' → ')}`);
  if (cycles.length === 0 && positiveInt(deadlineMs)) {
    for (const [, chain] of chainBudgets(parts)) {
      if (chain.path.length > 1 && chain.ms > deadlineMs) {
        problems.push(`${name}: the chain ${chain.path.join(' → ')} needs ${chain.ms} ms, more than the endpoint budget of ${deadlineMs} ms`);
      }
    }
  }
  return problems;
}

/** Parts in an order where each comes after what it needs (the declaration order where possible). */
export function topologicalOrder(parts: readonly PartDefinition[]): PartDefinition[] {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const done = new Set<string>();
  const ordered: PartDefinition[] = [];
  const place = (part: PartDefinition): void => {
    if (done.has(part.name)) return;
    done.add(part.name);
    for (const need of part.needs ?? []) {
      const needed = byName.get(need);
      if (needed) place(needed);
    }
    ordered.push(part);
  };
  for (const part of parts) place(part);
  return ordered;
}
