import { readFileSync } from 'node:fs';
import path from 'node:path';

/** docker/node-heap.json: the V8 heap caps every app runs with (MB). */
export interface NodeHeap {
  semiSpaceMb: number;
  oldSpaceMb: Record<string, number>;
}

export function readNodeHeap(root: string): NodeHeap {
  return JSON.parse(readFileSync(path.join(root, 'docker/node-heap.json'), 'utf8')) as NodeHeap;
}
