import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

let collect: CollectGarbage | undefined;

/**
 * V8's gc() without exposing it to the app: the flag is on only while one fresh context is
 * created, the way jest's leak detector gets it. A process started with --expose-gc keeps
 * its global.
 */
function collectGarbage(): CollectGarbage {
  if (collect) return collect;
  const global = (globalThis as { gc?: CollectGarbage }).gc;
  if (global) return (collect = global);
  setFlagsFromString('--expose-gc');
  try {
    collect = runInNewContext('gc') as CollectGarbage;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  return collect;
}

/**
 * Gives start-up's garbage back to the OS before the app takes traffic. Loading modules and
 * compiling config grow V8's young generation to its maximum, and an idle process never runs
 * a full GC, so V8's memory reducer (which starts after one) never shrinks it: the pages stay
 * resident for good. One memory-reducing full GC here (≈ 0.1 s, once) shrinks the young
 * generation and releases the freed pages: the gateway's idle RSS went from ≈ 120 to ≈ 97 MB.
 */
export function releaseStartupMemory(): void {
  collectGarbage()({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
