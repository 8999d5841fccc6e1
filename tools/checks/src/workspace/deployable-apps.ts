import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProjectJson {
  targets?: Record<string, unknown>;
  metadata?: { frontends?: string[] };
}

/**
 * Apps that ship as their own image: an app with a `build` target that is not a front-end
 * another app bundles (named in that app's `metadata.frontends`, like web-app in bff-web).
 */
export function deployableApps(root: string): string[] {
  const projects = new Map<string, ProjectJson>();
  for (const name of readdirSync(path.join(root, 'apps'))) {
    const file = path.join(root, 'apps', name, 'project.json');
    if (existsSync(file)) projects.set(name, JSON.parse(readFileSync(file, 'utf8')) as ProjectJson);
  }
  const frontends = new Set([...projects.values()].flatMap((p) => p.metadata?.frontends ?? []));
  return [...projects.entries()]
    .filter(([name, project]) => project.targets?.['build'] !== undefined && !frontends.has(name))
    .map(([name]) => name)
    .sort();
}
