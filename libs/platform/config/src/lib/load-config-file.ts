import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './load-config';

/**
 * `${VAR}`, `${VAR:-default}`, and defaults that refer to other variables
 * (`${OIDC_JWKS_URI:-${OIDC_ISSUER}/jwks}`), expanded in one pass from left to right.
 */
export function expand(text: string, env: Record<string, string | undefined>, missing: string[] = []): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, start);
    // Find the matching brace (defaults may nest ${...}).
    let depth = 0;
    let end = -1;
    for (let j = start; j < text.length; j++) {
      if (text[j] === '$' && text[j + 1] === '{') {
        depth++;
        j++;
      } else if (text[j] === '}') {
        depth--;
        if (depth === 0) {
          end = j;
          break;
        }
      }
    }
    const m = end < 0 ? null : /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(text.slice(start + 2, end));
    if (!m) {
      out += '${';
      i = start + 2;
      continue;
    }
    const [, name, fallback] = m as unknown as [string, string, string | undefined];
    const value = env[name];
    if (value !== undefined && value !== '') out += value;
    else if (fallback !== undefined) out += expand(fallback, env, missing);
    else missing.push(name);
    i = end + 1;
  }
  return out;
}

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
  const expanded = expand(text, env, missing);
  if (missing.length > 0) {
    throw new ConfigError(path, [...new Set(missing)].map((name) => ({ key: `\${${name}}`, message: 'environment variable is not set' })));
  }
  try {
    return extname(path) === '.json' ? JSON.parse(expanded) : parseYaml(expanded, { uniqueKeys: true });
  } catch (err) {
    throw new ConfigError(path, [{ key: '(syntax)', message: (err as Error).message.split('\n')[0] ?? 'invalid syntax' }]);
  }
}
