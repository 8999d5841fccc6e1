import { readFileSync } from 'node:fs';
import path from 'node:path';

/** docker/node-heap.json: the V8 heap caps every app runs with (MB). */
export interface NodeHeap {
  semiSpaceMb: number;
  /** Apps with semi-spaces of another size than `semiSpaceMb` (`$comment` says why). */
  semiSpaceMbFor?: Record<string, number>;
  oldSpaceMb: Record<string, number>;
  /** Apps whose old generation may grow by this percentage past its live size between full GCs. */
  heapGrowingPercent?: Record<string, number>;
  /** Apps that run without V8's memory reducer (`false`); `$comment` says why. */
  memoryReducer?: Record<string, boolean>;
}

/** An app's semi-space size (MB): its own, or the shared one. */
export function semiSpaceMb(heap: NodeHeap, app: string): number {
  return heap.semiSpaceMbFor?.[app] ?? heap.semiSpaceMb;
}

/** The heap caps of an app that its image sets in NODE_OPTIONS. */
export function nodeOptionsHeapFlags(heap: NodeHeap, app: string): string[] {
  return [`--max-semi-space-size=${semiSpaceMb(heap, app)}`, `--max-old-space-size=${heap.oldSpaceMb[app]}`];
}

/** The node flags of an app that NODE_OPTIONS does not accept (they go on its command line). */
export function commandLineHeapFlags(heap: NodeHeap, app: string): string[] {
  const growing = heap.heapGrowingPercent?.[app];
  return [...(growing === undefined ? [] : [`--heap-growing-percent=${growing}`]), ...(heap.memoryReducer?.[app] === false ? ['--no-memory-reducer'] : [])];
}

export function readNodeHeap(root: string): NodeHeap {
  return JSON.parse(readFileSync(path.join(root, 'docker/node-heap.json'), 'utf8')) as NodeHeap;
}
