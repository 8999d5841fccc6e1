import type { CompiledHeaderOps, HeaderNameMatcher } from '@edge/gateway-config';
import { flatIndexes, flatRemove } from '../http/header-values';

type HeaderRecord = Record<string, string | string[]>;

const append = (current: string | string[] | undefined, value: string | string[]): string | string[] => {
  if (current === undefined) return value;
  return [...(Array.isArray(current) ? current : [current]), ...(Array.isArray(value) ? value : [value])];
};

/**
 * Response header operations in a fixed order: strip (patterns such as `x-internal-*`,
 * `server`), remove, rename (a value moves; an existing target keeps its values too),
 * set (replaces), add (appends).
 */
export function responseHeaderOps(ops: CompiledHeaderOps, strip: HeaderNameMatcher): ((headers: HeaderRecord) => void) | null {
  const empty = strip.patterns.length === 0 && ops.remove.length === 0 && ops.rename.length === 0 && ops.set.length === 0 && ops.add.length === 0;
  if (empty) return null;
  return (headers) => {
    if (strip.patterns.length > 0) for (const name of Object.keys(headers)) if (strip.matches(name)) delete headers[name];
    for (const name of ops.remove) delete headers[name];
    for (const [from, to] of ops.rename) {
      const value = headers[from];
      if (value === undefined) continue;
      delete headers[from];
      headers[to] = append(headers[to], value);
    }
    for (const [name, value] of ops.set) headers[name] = value;
    for (const [name, value] of ops.add) headers[name] = append(headers[name], value);
  };
}

/**
 * The same operations on the forwarded request's flat `[name, value, ...]` list (the handler's
 * own correlation headers included, since it builds the list before calling request filters).
 */
export function requestHeaderOps(ops: CompiledHeaderOps): ((headers: string[]) => void) | null {
  if (ops.remove.length === 0 && ops.rename.length === 0 && ops.set.length === 0 && ops.add.length === 0) return null;
  return (headers) => {
    for (const name of ops.remove) flatRemove(headers, name);
    for (const [from, to] of ops.rename) for (const i of flatIndexes(headers, from)) headers[i] = to;
    for (const [name, value] of ops.set) {
      flatRemove(headers, name);
      headers.push(name, value);
    }
    for (const [name, value] of ops.add) headers.push(name, value);
  };
}
