import { type AuditWarning, auditGatewayConfig } from './audit';
import type { ConfigProblem } from './problems';
import { loadGatewayConfigFile } from './validate-config';

export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CheckOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export const CHECK_USAGE = 'usage: check <file> [--audit] [--json]\n';

/**
 * `check <file> [--audit] [--json]`: validates a gateway configuration file the way the gateway
 * does at start-up and prints every problem as `<file>: <path>: <message>`.
 * Exit codes: 0 valid (audit warnings alone do not fail), 1 invalid, 2 usage error.
 */
export async function runConfigCheck(argv: readonly string[], out: CheckOutput = processOutput, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const flags = rest.filter((a) => a.startsWith('--'));
  const files = rest.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--audit' && f !== '--json');
  if (command !== 'check' || files.length !== 1 || unknown.length > 0) {
    out.stderr(unknown.length > 0 ? `unknown option ${unknown.join(', ')}\n${CHECK_USAGE}` : CHECK_USAGE);
    return 2;
  }
  const file = files[0] as string;
  const audit = flags.includes('--audit');
  const json = flags.includes('--json');

  const result = loadGatewayConfigFile(file, env);
  const problems: ConfigProblem[] = result.ok ? [] : result.problems;
  const warnings: AuditWarning[] = result.ok && audit ? auditGatewayConfig(result.config) : [];

  if (json) {
    out.stdout(`${JSON.stringify({ file, ok: result.ok, version: result.ok ? result.config.version : null, problems, warnings }, null, 2)}\n`);
  } else {
    for (const p of problems) out.stdout(`${file}: ${p.path}: ${p.message}\n`);
    for (const w of warnings) out.stdout(`${file}: ${w.path}: warning: ${w.message} [${w.code}]\n`);
    if (result.ok) {
      const c = result.config;
      const summary = `${c.routes.length} routes, ${Object.keys(c.clusters).length} clusters, version ${c.version.slice(0, 12)}`;
      out.stdout(`${file}: ok (${summary})${warnings.length > 0 ? `, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : ''}\n`);
    } else {
      out.stdout(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
    }
  }
  return result.ok ? 0 : 1;
}
