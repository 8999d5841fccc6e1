import { ConfigError, readConfigFile } from '@edge/config';
import { compileGatewayConfig } from './compile-config';
import type { ConfigProblem } from './problems';
import { validateSchema } from './schema-validation';
import { runSemanticChecks } from './semantic-checks';
import type { CompiledGatewayConfig } from './types/compiled-config.types';
import type { GatewayConfigFile } from './types/gateway-config.types';

export type GatewayConfigResult = { ok: true; config: CompiledGatewayConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates a parsed configuration (schema, then every semantic check — all of them, also when
 * the schema found problems) and, when nothing is wrong, compiles it into the runtime model.
 * Pure: no I/O, no environment; the same input always gives the same answer.
 */
export function validateGatewayConfig(raw: unknown): GatewayConfigResult {
  const problems = unique([...validateSchema(raw), ...runSemanticChecks(raw)]);
  if (problems.length > 0) return { ok: false, problems };
  try {
    return { ok: true, config: compileGatewayConfig(raw as GatewayConfigFile) };
  } catch (err) {
    // A gap between the checks and the compiler; reported, never thrown at start-up.
    return { ok: false, problems: [{ path: '(root)', message: `cannot be compiled: ${(err as Error).message}` }] };
  }
}

/**
 * Reads a YAML/JSON file with `${VAR}` / `${VAR:-default}` expansion and validates it. Reading
 * problems (missing file, unset variables, syntax) come back as problems like any other.
 */
export function loadGatewayConfigFile(path: string, env: Record<string, string | undefined> = process.env): GatewayConfigResult {
  let raw: unknown;
  try {
    raw = readConfigFile(path, env);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problems: err.problems.map((p) => ({ path: p.key, message: p.message })) };
    throw err;
  }
  return validateGatewayConfig(raw);
}

function unique(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
