import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runConfigCheck } from './config-check.cli';
import { minimalConfig } from './test-support/minimal-config';

const dir = mkdtempSync(join(tmpdir(), 'gateway-check-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : stringify(content));
  return path;
}

async function run(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runConfigCheck(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, env);
  return { code, stdout, stderr };
}

describe('runConfigCheck (gateway:check)', () => {
  it('exits 0 and says so for a valid file', async () => {
    const path = file('ok.yaml', minimalConfig());
    const { code, stdout, stderr } = await run(['check', path]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^${path}: ok \\(2 routes, 3 clusters, version [0-9a-f]{12}\\)\\n$`));
    expect(stderr).toBe('');
  });

  it('prints every problem as <file>: <path>: <message> and exits 1', async () => {
    const config = minimalConfig();
    config.routes.push({ id: 'orders', match: { path: '/x/**' }, cluster: 'ordrs', timeout: 5 });
    const path = file('bad.yaml', config);
    const { code, stdout } = await run(['check', path]);
    expect(code).toBe(1);
    expect(stdout.trimEnd().split('\n')).toEqual([
      `${path}: routes[2].auth: is required: every route makes an explicit auth decision (name an auth policy; an \`anonymous: true\` policy makes it public)`,
      `${path}: routes[2].timeout: unknown key (renamed: use timeoutMs)`,
      `${path}: routes[2].cluster: unknown cluster "ordrs" (did you mean "orders"?)`,
      `${path}: routes[2].id: duplicate route id "orders" (also routes[1])`,
      `${path}: 4 problems`,
    ]);
  });

  it('reports unreadable files, unset variables and syntax errors as problems', async () => {
    expect((await run(['check', join(dir, 'missing.yaml')])).stdout).toContain('missing.yaml: (file): cannot be read: ENOENT');
    const unset = await run(['check', file('env.yaml', 'version: 1\nx: ${NOT_SET_ANYWHERE}\n')]);
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain('env.yaml: ${NOT_SET_ANYWHERE}: environment variable is not set');
    const syntax = await run(['check', file('syntax.yaml', 'version: [1\n')]);
    expect(syntax.code).toBe(1);
    expect(syntax.stdout).toContain('syntax.yaml: (syntax): ');
  });

  it('expands ${VAR:-default} from the given environment before validating', async () => {
    const path = file('env-ok.yaml', stringify(minimalConfig()).replace('http://127.0.0.1:4102', '${ORDERS_URL:-http://127.0.0.1:4102}'));
    expect((await run(['check', path])).code).toBe(0);
    const broken = await run(['check', path], { ORDERS_URL: 'http://127.0.0.1:4102/base' });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('clusters.orders.destinations.a.url: must be an origin only');
  });

  it('--audit adds warnings without failing', async () => {
    const config = minimalConfig();
    config.routes.push({ id: 'web', match: { path: '/web/**' }, cluster: 'web', auth: 'public', rateLimits: ['per-ip'] });
    const path = file('audit.yaml', config);
    expect((await run(['check', path])).stdout).not.toContain('warning');
    const { code, stdout } = await run(['check', path, '--audit']);
    expect(code).toBe(0);
    expect(stdout).toContain(`${path}: routes[2].match.path: warning: wildcard route /web/** exposes every endpoint of bff cluster "web"`);
    expect(stdout).toContain('[wildcard-to-bff]');
    expect(stdout).toMatch(/ok \(3 routes, 3 clusters, version [0-9a-f]{12}\), 1 warning\n$/);
  });

  it('--json prints one machine-readable document', async () => {
    const config = minimalConfig();
    config.routes.push({ id: 'x', match: { path: '/x' }, cluster: 'nope', auth: 'public' });
    const bad = JSON.parse((await run(['check', file('json.yaml', config), '--json'])).stdout);
    expect(bad).toEqual({ file: expect.stringMatching(/json\.yaml$/), ok: false, version: null, problems: [{ path: 'routes[2].cluster', message: expect.stringContaining('unknown cluster "nope"') }], warnings: [] });
    const good = await run(['check', file('json-ok.yaml', minimalConfig()), '--json', '--audit']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, version: expect.stringMatching(/^[0-9a-f]{64}$/), problems: [], warnings: [] });
  });

  it('exits 2 with usage on bad arguments', async () => {
    for (const argv of [[], ['check'], ['lint', 'a.yaml'], ['check', 'a.yaml', 'b.yaml'], ['check', 'a.yaml', '--fix']]) {
      const { code, stderr, stdout } = await run(argv);
      expect(code).toBe(2);
      expect(stderr).toContain('usage: check <file> [--audit] [--json]');
      expect(stdout).toBe('');
    }
  });
});
