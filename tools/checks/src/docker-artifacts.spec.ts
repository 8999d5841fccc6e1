import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { parse as parseYaml } from 'yaml';
import { deployableApps } from './workspace/deployable-apps';
import { commandLineHeapFlags, nodeOptionsHeapFlags, readNodeHeap } from './workspace/node-heap';

const root = path.resolve(__dirname, '../../..');

/**
 * No Docker engine runs here, so images are validated, not built: each Dockerfile parses
 * without errors, is multi-stage, ends as a non-root user with production dependencies only,
 * runs the app's built entry point and declares a health check; compose knows every app.
 */
describe('docker artifacts', () => {
  const apps = deployableApps(root);

  it('finds the deployable apps', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  describe.each(apps)('%s', (app) => {
    const file = path.join(root, 'docker', app, 'Dockerfile');

    it('has a valid multi-stage Dockerfile that runs non-root with production deps only', () => {
      expect(existsSync(file)).toBe(true);
      const text = readFileSync(file, 'utf8');
      const errors = validate(text).filter((d) => d.severity === 1);
      expect(errors).toEqual([]);
      const dockerfile = DockerfileParser.parse(text);
      const froms = dockerfile.getFROMs();
      expect(froms.length).toBeGreaterThanOrEqual(2);
      const instructions = dockerfile.getInstructions();
      const lastFrom = instructions.lastIndexOf(froms[froms.length - 1] as never);
      const final = instructions.slice(lastFrom);
      const keyword = (k: string) => final.filter((i) => i.getKeyword() === k);
      const user = keyword('USER').pop()?.getArgumentsContent();
      expect(user).toBeDefined();
      expect(['root', '0']).not.toContain(user);
      expect(keyword('HEALTHCHECK')).toHaveLength(1);
      expect(keyword('CMD').pop()?.getArgumentsContent()).toContain('main.js');
      expect(text).toContain(`node tools/build/build-app.mjs ${app}`);
      expect(text).toContain(`/workspace/dist/apps/${app}`);
      expect(text).toMatch(/npm ci --omit=dev/);
    });

    it('caps the V8 heap as docker/node-heap.json says', () => {
      const heap = readNodeHeap(root);
      const old = heap.oldSpaceMb[app];
      expect(old).toBeGreaterThan(0);
      const env = DockerfileParser.parse(readFileSync(file, 'utf8'))
        .getENVs()
        .flatMap((e) => e.getProperties())
        .map((p) => [p.getName(), p.getValue()?.replace(/^"|"$/g, '')]);
      expect(Object.fromEntries(env)).toMatchObject({ NODE_OPTIONS: nodeOptionsHeapFlags(heap, app).join(' '), MALLOC_ARENA_MAX: '2' });
      const cmd = DockerfileParser.parse(readFileSync(file, 'utf8')).getInstructions().filter((i) => i.getKeyword() === 'CMD').pop();
      expect(JSON.parse(cmd?.getArgumentsContent() ?? '[]')).toEqual(['node', ...commandLineHeapFlags(heap, app), 'main.js']);
    });

    it('is started by `npm start` with the same V8 flags as its image', () => {
      const heap = readNodeHeap(root);
      const script = `import('./tools/dev-stack/stack.mjs').then((m) => process.stdout.write(JSON.stringify(m.heapFlags(${JSON.stringify(app)}))))`;
      const run = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual([...nodeOptionsHeapFlags(heap, app), ...commandLineHeapFlags(heap, app)]);
    });
  });

  it('has a compose service for every app, built from its own Dockerfile', () => {
    const compose = parseYaml(readFileSync(path.join(root, 'docker/compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: { dockerfile?: string } }>;
    };
    for (const app of apps) {
      expect(compose.services[app]?.build?.dockerfile).toBe(`docker/${app}/Dockerfile`);
    }
  });

  it('is accepted by docker-compose config', () => {
    const run = spawnSync('docker-compose', ['-f', 'docker/compose.yaml', 'config', '-q'], { cwd: root, encoding: 'utf8' });
    if (run.error) throw new Error('docker-compose is not installed (apt-get install docker-compose; .ci/run does it)');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
