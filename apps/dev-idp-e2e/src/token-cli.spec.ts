import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort, workspaceRoot } from '@edge/testing';
import { startIdp, type RunningIdp } from './support';

/** Runs `node tools/token/token.ts ...` the way `npm run token --` does (Node 24, type stripping). */
function runTokenCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(workspaceRoot, 'tools/token/token.ts'), ...args], { cwd: workspaceRoot, env: { PATH: process.env['PATH'] } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run token (tools/token/token.ts)', () => {
  let idp: RunningIdp;
  beforeAll(async () => {
    idp = await startIdp();
  });
  afterAll(async () => {
    await idp.app.stop();
  });

  it('prints a user access token for a resource', async () => {
    const { code, stdout, stderr } = await runTokenCli(['--issuer', idp.issuer, '--user', 'carol', '--resource', 'urn:orders-api', '--scope', 'openid orders:read']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const claims = await idp.verifyAccessToken(stdout.trim(), 'orders-api');
    expect(claims).toMatchObject({ sub: 'carol', tenant: 'globex', client_id: 'mobile-app', scope: 'orders:read' });
  });

  it('prints the whole response of client credentials with --json', async () => {
    const { code, stdout } = await runTokenCli(['--issuer', idp.issuer, '--client', 'partner-acme', '--json']);
    expect(code).toBe(0);
    const response = JSON.parse(stdout) as { access_token: string; scope: string; token_type: string };
    expect(response).toMatchObject({ token_type: 'Bearer', scope: 'catalog:read orders:read orders:write' });
    expect(await idp.verifyAccessToken(response.access_token)).toMatchObject({ sub: 'partner-acme', tenant: 'acme' });
  });

  it('fails clearly on a wrong password, a bad option or an unreachable issuer', async () => {
    const wrong = await runTokenCli(['--issuer', idp.issuer, '--user', 'alice', '--password', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/login refused/);
    expect(wrong.stdout).toBe('');
    const bad = await runTokenCli(['--user']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage/);
    const down = await runTokenCli(['--issuer', `http://127.0.0.1:${await freePort()}`, '--client', 'partner-acme']);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/is dev-idp running/);
  });
});
