/** One thing wrong with a configuration, located by a JSON path such as `routes[3].cluster`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z0-9_$-]+$/;

/** `['routes', 3, 'cluster']` → `routes[3].cluster`; odd keys are quoted: `set["x.y"]`. */
export function jsonPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Collects problems; checks push into it and never stop at the first one. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];

  add(path: readonly PathSegment[], message: string): void {
    this.items.push({ path: jsonPath(path), message });
  }
}
