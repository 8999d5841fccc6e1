import type { Field } from './config-fields';

export type ConfigSpec = Record<string, Field<unknown>>;
export type ConfigOf<S extends ConfigSpec> = { readonly [K in keyof S]: S[K] extends Field<infer T> ? T : never };

export interface ConfigProblem {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  - ${p.key}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  /** Where the values come from, for messages; defaults to "environment". */
  source?: string;
  /** Reject keys that the spec does not know (files: yes; the process environment: no). */
  rejectUnknown?: boolean;
  /** Prefix added to keys in messages (e.g. the path of a nested object). */
  keyPrefix?: string;
}

/**
 * Validates every field of the spec against the given values, collects every problem,
 * and returns a frozen, typed object. Nothing is half-applied: either all is valid or
 * ConfigError lists all that is not.
 */
export function loadConfig<S extends ConfigSpec>(
  spec: S,
  values: Record<string, unknown> = process.env,
  options: LoadOptions = {},
): ConfigOf<S> {
  const prefix = options.keyPrefix ?? '';
  const problems: ConfigProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, f] of Object.entries(spec)) {
    const raw = values[key];
    const parsed = f.parse(raw);
    if (parsed.ok) out[key] = parsed.value;
    else {
      const shown = f.secret || raw === undefined || raw === '' ? '' : ` (got ${JSON.stringify(raw)})`;
      problems.push({ key: prefix + key, message: parsed.message + shown });
    }
  }
  if (options.rejectUnknown) {
    for (const key of Object.keys(values)) {
      if (!(key in spec)) problems.push({ key: prefix + key, message: 'is not a known setting' });
    }
  }
  if (problems.length > 0) throw new ConfigError(options.source ?? 'environment', problems);
  return Object.freeze(out) as ConfigOf<S>;
}
