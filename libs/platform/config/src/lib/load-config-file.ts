import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './load-config';

/**
 * Reads a YAML or JSON file and expands `${VAR}` / `${VAR:-default}` from the environment.
 * An unset variable without default is a problem, reported with every other one.
 */
export function readConfigFile(path: string, env: Record<string, string | undefined> = process.env): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ key: '(file)', message: `cannot be read: ${(err as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
  const missing: string[] = [];
  const expanded = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    missing.push(name);
    return '';
  });
  if (missing.length > 0) {
    throw new ConfigError(path, [...new Set(missing)].map((name) => ({ key: `\${${name}}`, message: 'environment variable is not set' })));
  }
  try {
    return extname(path) === '.json' ? JSON.parse(expanded) : parseYaml(expanded, { uniqueKeys: true });
  } catch (err) {
    throw new ConfigError(path, [{ key: '(syntax)', message: (err as Error).message.split('\n')[0] ?? 'invalid syntax' }]);
  }
}
