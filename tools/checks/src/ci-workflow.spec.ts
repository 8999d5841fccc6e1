import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { workspaceRoot } from './k8s/render-overlay';
import { deployableApps } from './workspace/deployable-apps';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  'runs-on': string;
  container?: string;
  permissions?: Record<string, string>;
  outputs?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown> };
  steps: Step[];
}
interface Workflow {
  on: { pull_request?: unknown; push?: { branches?: string[] } };
  permissions: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = readFileSync(path.join(workspaceRoot, '.github/workflows/ci.yml'), 'utf8');
const workflow = parseYaml(text) as Workflow;
const jobs = Object.entries(workflow.jobs);
const steps = jobs.flatMap(([, job]) => job.steps);

function jobWith(predicate: (step: Step) => boolean): [string, Job] {
  const found = jobs.find(([, job]) => job.steps.some(predicate));
  if (!found) throw new Error('no job has such a step');
  return found;
}

describe('CI workflow .github/workflows/ci.yml', () => {
  it('runs on pull requests and on pushes to main, read-only by default, without Nx Cloud', () => {
    expect(workflow.on.pull_request).toBeDefined();
    expect(workflow.on.push?.branches).toEqual(['main']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.env?.['NX_NO_CLOUD']).toBe('true');
  });

  it('runs nx affected -t lint typecheck test build against the merge base set by nx-set-shas', () => {
    const [, job] = jobWith((s) => /nx affected/.test(s.run ?? ''));
    const names = job.steps.map((s) => s.uses?.split('@')[0] ?? s.run ?? '');
    const checkout = job.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const shas = names.indexOf('nrwl/nx-set-shas');
    const affected = job.steps.findIndex((s) => /nx affected/.test(s.run ?? ''));
    expect(shas).toBeGreaterThan(names.findIndex((n) => /npm ci/.test(n)));
    expect(affected).toBeGreaterThan(shas);
    expect(job.steps[affected]?.run).toMatch(/nx affected -t lint typecheck test build --base="\$NX_BASE" --head="\$NX_HEAD"/);
    // Node 24 as the project requires (.nvmrc), and the Debian packages the tests need.
    expect(job.container).toMatch(new RegExp(`^node:${readFileSync(path.join(workspaceRoot, '.nvmrc'), 'utf8').trim()}-`));
    const install = job.steps.map((s) => s.run ?? '').join('\n');
    for (const pkg of ['redis-server', 'chromium', 'nginx', 'docker-compose', 'kubernetes-client', 'prometheus']) expect(install).toContain(pkg);
  });

  it('builds an image for each affected deployable app only, from its own Dockerfile, pushing on main only', () => {
    const [producerName, producer] = jobWith((s) => (s.run ?? '').includes('tools/affected-deployables.mjs'));
    const step = producer.steps.find((s) => (s.run ?? '').includes('tools/affected-deployables.mjs'));
    expect(step?.run).toMatch(/affected-deployables\.mjs --base "\$NX_BASE" --head "\$NX_HEAD" --json/);
    expect(existsSync(path.join(workspaceRoot, 'tools/affected-deployables.mjs'))).toBe(true);
    const output = Object.entries(producer.outputs ?? {}).find(([, value]) => value.includes(`steps.${step?.id}.outputs.`))?.[0];
    expect(output).toBeDefined();

    const [, images] = jobWith((s) => s.uses?.startsWith('docker/build-push-action@') ?? false);
    expect(images.needs).toBe(producerName);
    expect(images.if).toBe(`needs.${producerName}.outputs.${output} != '[]'`);
    expect(images.strategy?.matrix['app']).toBe(`\${{ fromJSON(needs.${producerName}.outputs.${output}) }}`);
    expect(images.permissions).toEqual({ contents: 'read', packages: 'write' });
    const build = images.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    expect(build?.with?.['file']).toBe('docker/${{ matrix.app }}/Dockerfile');
    expect(build?.with?.['context']).toBe('.');
    const onMain = "github.event_name == 'push' && github.ref == 'refs/heads/main'";
    expect(build?.with?.['push']).toBe(`\${{ ${onMain} }}`);
    expect(images.steps.find((s) => s.uses?.startsWith('docker/login-action@'))?.if).toBe(onMain);
    for (const app of deployableApps(workspaceRoot)) expect(existsSync(path.join(workspaceRoot, 'docker', app, 'Dockerfile'))).toBe(true);
  });

  it('pins every action to a release, never a branch', () => {
    const uses = steps.map((s) => s.uses).filter((u): u is string => u !== undefined);
    expect(uses.length).toBeGreaterThan(5);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
  });
});
