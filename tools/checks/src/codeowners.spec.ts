import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from './k8s/render-overlay';
import { deployableApps } from './workspace/deployable-apps';

interface Rule {
  pattern: string;
  owners: string[];
  matches(file: string): boolean;
}

const TEAMS: Record<string, string> = {
  'scope:gateway': '@edge/gateway-team',
  'scope:bff-web': '@edge/web-team',
  'scope:bff-mobile': '@edge/mobile-team',
  'scope:bff-partner': '@edge/partner-team',
  'scope:demo': '@edge/domain-team',
  'scope:shared': '@edge/platform-team',
  'scope:dev': '@edge/platform-team',
};

/** Test projects not named after one app: what they test. */
const E2E_OF_SEVERAL: Record<string, string> = {
  'demo-services-e2e': 'scope:demo',
  'stack-e2e': 'scope:shared',
  'workspace-checks': 'scope:shared',
};

/**
 * The CODEOWNERS patterns this repository uses: `*`, and anchored paths (`/a/b/`, `/a/b-*\/`)
 * where `*` stays within one path segment. Anything else is refused so that this matcher
 * never silently disagrees with GitHub's.
 */
function rule(pattern: string, owners: string[]): Rule {
  if (pattern === '*') return { pattern, owners, matches: () => true };
  if (!/^\/[\w.*/-]+\/$/.test(pattern) || pattern.includes('**')) throw new Error(`unsupported CODEOWNERS pattern ${pattern}`);
  const body = pattern
    .slice(1)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  const regex = new RegExp(`^${body}`);
  return { pattern, owners, matches: (file) => regex.test(file) };
}

const rules = readFileSync(path.join(workspaceRoot, '.github/CODEOWNERS'), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean)
  .map((line) => {
    const [pattern = '', ...owners] = line.split(/\s+/);
    return rule(pattern, owners);
  });

/** GitHub: the last matching pattern decides. */
function ownersOf(file: string): string[] {
  return [...rules].reverse().find((r) => r.matches(file))?.owners ?? [];
}

interface Project {
  name: string;
  root: string;
  tags: string[];
}

function projects(dir = workspaceRoot): Project[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || ['node_modules', 'dist', 'tmp', '.git', '.nx', 'fixtures'].includes(entry.name)) return [];
    const full = path.join(dir, entry.name);
    const nested = projects(full);
    try {
      const json = JSON.parse(readFileSync(path.join(full, 'project.json'), 'utf8')) as { name: string; tags?: string[] };
      return [{ name: json.name, root: path.relative(workspaceRoot, full), tags: json.tags ?? [] }, ...nested];
    } catch {
      return nested;
    }
  });
}

describe('CODEOWNERS', () => {
  const all = projects();

  it('names only the six teams, each owning something', () => {
    const teams = new Set(rules.flatMap((r) => r.owners));
    expect([...teams].sort()).toEqual([...new Set(Object.values(TEAMS))].sort());
    expect(rules[0]?.pattern).toBe('*');
  });

  it('gives each app and lib to the team of its scope (e2e projects to the team of the app they test)', () => {
    expect(all.length).toBeGreaterThan(30);
    for (const project of all) {
      let scope = project.tags.find((t) => t.startsWith('scope:')) ?? '';
      if (scope === 'scope:e2e') {
        const tested = all.find((p) => p.name === project.name.replace(/-e2e$/, '') && p !== project);
        scope = E2E_OF_SEVERAL[project.name] ?? tested?.tags.find((t) => t.startsWith('scope:')) ?? '';
      }
      const team = TEAMS[scope];
      expect({ project: project.name, owners: ownersOf(`${project.root}/project.json`) }).toEqual({ project: project.name, owners: [team] });
    }
  });

  it('lets each app team review its image and its Kubernetes manifests, with the platform team', () => {
    for (const app of deployableApps(workspaceRoot).filter((a) => a !== 'dev-idp')) {
      const team = ownersOf(`apps/${app}/project.json`)[0];
      for (const file of [`docker/${app}/Dockerfile`, `docker/k8s/base/${app}/deployment.yaml`]) {
        expect({ file, owners: ownersOf(file) }).toEqual({ file, owners: [team, '@edge/platform-team'] });
      }
    }
    for (const file of ['package.json', 'nx.json', '.github/workflows/ci.yml', 'docker/k8s/overlays/prod/kustomization.yaml', 'libs/platform/http-client/src/index.ts']) {
      expect({ file, owners: ownersOf(file) }).toEqual({ file, owners: ['@edge/platform-team'] });
    }
  });
});
