/**
 * Freezes an object graph (objects, arrays, functions) so that no holder of the runtime model can
 * change it. Closures keep their private state (matcher maps, CIDR lists) out of reach.
 */
export function deepFreeze<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
  const target = value as object;
  if (seen.has(target)) return value;
  seen.add(target);
  for (const key of Reflect.ownKeys(target)) {
    const descriptor = Object.getOwnPropertyDescriptor(target, key);
    if (descriptor && 'value' in descriptor) deepFreeze(descriptor.value as unknown, seen);
  }
  Object.freeze(target);
  return value;
}

/** A frozen-to-be record without a prototype, so ids like "constructor" are plain keys. */
export function record<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}
