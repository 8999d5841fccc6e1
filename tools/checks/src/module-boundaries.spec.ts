import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const fixture = 'tools/checks/fixtures/util-lib/src/boundary-violation.fixture.ts';

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * The type × scope matrix of DESIGN.md §2 is only real if lint fails on a violation. The
 * fixture is ignored by the normal lint run; here it is linted on purpose, in a child
 * process (ESLint loads its flat config with dynamic import, which Jest's VM cannot do).
 */
describe('module boundaries', () => {
  it('reports a util lib importing a feature lib and an I/O client', () => {
    const run = spawnSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--no-ignore', '--format', 'json', fixture], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
    const boundary = (result?.messages ?? []).filter((m) => m.ruleId === '@nx/enforce-module-boundaries');
    expect(boundary.map((m) => m.message)).toEqual([
      expect.stringMatching(/tagged with "type:util" can only depend on libs tagged with "type:util", "type:contract"/),
      expect.stringMatching(/tagged with "type:util" is not allowed to import "undici"/),
    ]);
  }, 60_000);
});
