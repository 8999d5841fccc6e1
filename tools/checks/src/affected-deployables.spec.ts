import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workspaceRoot } from './k8s/render-overlay';
import { deployableApps } from './workspace/deployable-apps';
import { ImportGraph } from './workspace/import-graph';

const tool = 'tools/affected-deployables.mjs';

/**
 * tools/affected-deployables in a throwaway clone of this repository: each case is one
 * commit touching one file, and the tool is asked about exactly that commit.
 */
describe('tools/affected-deployables', () => {
  let repo: string;
  const commits = new Map<string, string>();

  const git = (...args: string[]) => {
    const run = spawnSync('git', ['-c', 'user.name=checks', '-c', 'user.email=checks@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
    return run.stdout.trim();
  };
  const touch = (label: string, file: string, line: string) => {
    appendFileSync(path.join(repo, file), `\n${line}\n`);
    git('commit', '-q', '-am', label);
    commits.set(label, git('rev-parse', 'HEAD'));
  };
  const affected = (label: string): string[] => {
    const head = commits.get(label) ?? '';
    const run = spawnSync(process.execPath, [path.join(repo, tool), '--base', `${head}~1`, '--head', head, '--json'], { cwd: repo, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`${tool} failed: ${run.stderr}`);
    return JSON.parse(run.stdout) as string[];
  };

  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'affected-'));
    const clone = spawnSync('git', ['clone', '-q', '--local', workspaceRoot, repo], { encoding: 'utf8' });
    if (clone.status !== 0) throw new Error(`git clone: ${clone.stderr}`);
    symlinkSync(path.join(workspaceRoot, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
    // The tool as it is in the working tree (it may not be committed yet).
    copyFileSync(path.join(workspaceRoot, tool), path.join(repo, tool));
    git('add', tool);
    git('commit', '-q', '--allow-empty', '-m', 'tool under test');
    touch('shared lib', 'libs/platform/state/src/index.ts', '// a change to a shared lib');
    touch('one BFF', 'apps/bff-mobile/src/main.ts', '// a change to one BFF');
    touch('a Dockerfile', 'docker/gateway/Dockerfile', '# a change to one image only');
    touch('docs', 'README.md', 'A change to documentation.');
  });

  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it('lists every deployable app that depends on a changed shared lib, and no other', () => {
    const graph = new ImportGraph(workspaceRoot);
    const lib = graph.projectOf('libs/platform/state/src/index.ts') ?? '';
    const dependents = deployableApps(workspaceRoot).filter((app) => graph.dependenciesOf(app).has(lib));
    // A discriminating case: some deployables use the lib, some do not.
    expect(dependents.length).toBeGreaterThan(1);
    expect(dependents.length).toBeLessThan(deployableApps(workspaceRoot).length);
    expect(affected('shared lib')).toEqual(dependents);
  }, 60_000);

  it('lists only the BFF whose own code changed', () => {
    expect(affected('one BFF')).toEqual(['bff-mobile']);
  }, 60_000);

  it('lists the app whose Dockerfile changed (a file no Nx project owns)', () => {
    expect(affected('a Dockerfile')).toEqual(['gateway']);
  }, 60_000);

  it('lists nothing for a documentation change', () => {
    expect(affected('docs')).toEqual([]);
  }, 60_000);
});
