import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Apps that ship as images: a `build` target and a Dockerfile in docker/<app>/. */
export function deployableApps(root: string): string[] {
  return readdirSync(path.join(root, 'apps'))
    .filter((name) => {
      const file = path.join(root, 'apps', name, 'project.json');
      if (!existsSync(file)) return false;
      const project = JSON.parse(readFileSync(file, 'utf8')) as { targets?: Record<string, unknown> };
      return project.targets?.['build'] !== undefined && existsSync(path.join(root, 'docker', name, 'Dockerfile'));
    })
    .sort();
}
