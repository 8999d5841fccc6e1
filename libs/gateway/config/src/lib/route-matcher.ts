import type { CompiledRoute, RequestHeaders, RouteMatch, RouteMatcher } from './types/compiled-config.types';

/**
 * Sorts routes into match order: exact before prefix, longer (deeper) prefix first, then
 * `match.order`, then more header conditions, then file order. Ties beyond that are config
 * errors (route-conflicts check), so the order is total for a valid file.
 */
export function byPrecedence(a: CompiledRoute, b: CompiledRoute): number {
  const kind = (r: CompiledRoute): number => (r.match.kind === 'exact' ? 0 : 1);
  return (
    kind(a) - kind(b) ||
    depth(b.match.path) - depth(a.match.path) ||
    (a.match.path < b.match.path ? -1 : a.match.path > b.match.path ? 1 : 0) ||
    a.match.order - b.match.order ||
    b.match.headers.length - a.match.headers.length ||
    a.index - b.index
  );
}

const depth = (path: string): number => (path === '' ? 0 : path.split('/').length - 1);

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  routes: CompiledRoute[];
}

const node = (): TrieNode => ({ children: new Map(), routes: [] });

/**
 * Builds the matcher over routes already in precedence order. The maps are private to the
 * closure, so the returned object can be frozen and shared across requests and reloads.
 */
export function buildRouteMatcher(routes: readonly CompiledRoute[]): RouteMatcher {
  const exact = new Map<string, CompiledRoute[]>();
  const root = node();
  for (const route of routes) {
    if (route.match.kind === 'exact') {
      const list = exact.get(route.match.path) ?? [];
      list.push(route);
      exact.set(route.match.path, list);
    } else {
      let at = root;
      for (const segment of segments(route.match.path)) {
        let next = at.children.get(segment);
        if (!next) {
          next = node();
          at.children.set(segment, next);
        }
        at = next;
      }
      at.routes.push(route);
    }
  }

  const found = (route: CompiledRoute, path: string, remainder: string): RouteMatch => ({
    route,
    remainder,
    upstreamPath: route.rewritePath(path, remainder),
  });

  return {
    match(method, path, headers) {
      const exactCandidates = exact.get(path) ?? (path.length > 1 && path.endsWith('/') ? exact.get(path.slice(0, -1)) : undefined);
      if (exactCandidates) {
        for (const route of exactCandidates) if (accepts(route, method, headers)) return found(route, path, '');
      }
      // Walk the trie segment by segment (no split/allocation), remembering nodes with routes.
      const stack: [TrieNode, number][] = [];
      let at: TrieNode | undefined = root;
      let end = 0; // path.slice(0, end) is the prefix matched so far
      if (at.routes.length > 0) stack.push([at, 0]);
      while (at && end < path.length) {
        const start = end + 1; // skip '/'
        let stop = path.indexOf('/', start);
        if (stop < 0) stop = path.length;
        at = at.children.get(path.slice(start, stop));
        end = stop;
        if (at && at.routes.length > 0) stack.push([at, end]);
      }
      for (let i = stack.length - 1; i >= 0; i--) {
        const [candidate, prefixLength] = stack[i] as [TrieNode, number];
        for (const route of candidate.routes) {
          if (accepts(route, method, headers)) return found(route, path, path.slice(prefixLength));
        }
      }
      return null;
    },
  };
}

function* segments(prefix: string): Generator<string> {
  if (prefix === '') return;
  yield* prefix.slice(1).split('/');
}

function accepts(route: CompiledRoute, method: string, headers: RequestHeaders): boolean {
  const { methods, headers: conditions } = route.match;
  if (methods !== null && !(methods as readonly string[]).includes(method)) return false;
  for (const condition of conditions) {
    const value = headers[condition.name];
    if (value === undefined) return false;
    if (condition.values === null) continue;
    const values = condition.values;
    if (typeof value === 'string' ? !values.includes(value) : !value.some((v) => values.includes(v))) return false;
  }
  return true;
}
