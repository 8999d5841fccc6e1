/**
 * Typed configuration fields. Each field parses one raw value (a string from the
 * environment or a scalar from a file) and either yields a typed value or a message;
 * `loadConfig` collects the messages of every field before failing.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Field<T> {
  readonly describe: string;
  /** Secret values are never echoed back in error messages. */
  readonly secret: boolean;
  parse(raw: unknown): Parsed<T>;
}

interface Common<T> {
  default?: T;
  secret?: boolean;
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

function field<T>(describe: string, opts: Common<T>, convert: (raw: string) => Parsed<T>): Field<T> {
  return {
    describe,
    secret: opts.secret ?? false,
    parse(raw) {
      if (raw === undefined || raw === null || raw === '') {
        return 'default' in opts ? ok(opts.default as T) : fail('is required');
      }
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        return fail(`must be a ${describe}`);
      }
      return convert(String(raw).trim());
    },
  };
}

/** A field that may be absent: yields undefined instead of "is required". */
export function optional<T>(inner: Field<T>): Field<T | undefined> {
  return {
    describe: inner.describe,
    secret: inner.secret,
    parse: (raw) => (raw === undefined || raw === null || raw === '' ? ok(undefined) : inner.parse(raw)),
  };
}

export function string(opts: Common<string> & { pattern?: RegExp; minLength?: number } = {}): Field<string> {
  return field('string', opts, (raw) => {
    if (opts.minLength !== undefined && raw.length < opts.minLength) return fail(`must be at least ${opts.minLength} characters`);
    if (opts.pattern && !opts.pattern.test(raw)) return fail(`must match ${opts.pattern}`);
    return ok(raw);
  });
}

export function int(opts: Common<number> & { min?: number; max?: number } = {}): Field<number> {
  return field('integer', opts, (raw) => {
    if (!/^-?\d+$/.test(raw)) return fail('must be an integer');
    const n = Number(raw);
    if (opts.min !== undefined && n < opts.min) return fail(`must be >= ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) return fail(`must be <= ${opts.max}`);
    return ok(n);
  });
}

export function port(opts: Common<number> = {}): Field<number> {
  return int({ ...opts, min: 0, max: 65535 });
}

export function bool(opts: Common<boolean> = {}): Field<boolean> {
  return field('boolean', opts, (raw) => {
    const v = raw.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return ok(true);
    if (['0', 'false', 'no', 'off'].includes(v)) return ok(false);
    return fail('must be true or false');
  });
}

export function url(opts: Common<string> & { protocols?: string[] } = {}): Field<string> {
  const protocols = opts.protocols ?? ['http:', 'https:'];
  return field('URL', opts, (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return fail('must be an absolute URL');
    }
    if (!protocols.includes(parsed.protocol)) return fail(`must use ${protocols.join(' or ')}`);
    return ok(raw.replace(/\/+$/, ''));
  });
}

export function oneOf<const T extends string>(values: readonly T[], opts: Common<T> = {}): Field<T> {
  return field(`one of ${values.join(', ')}`, opts, (raw) =>
    (values as readonly string[]).includes(raw) ? ok(raw as T) : fail(`must be one of ${values.join(', ')}`),
  );
}

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, written as `250`, `250ms`, `5s`, `2m`, `1h` or `1d`. */
export function duration(opts: Common<number> & { min?: number; max?: number } = {}): Field<number> {
  return field('duration', opts, (raw) => {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw);
    if (!m) return fail('must be a duration such as 500ms, 5s or 2m');
    const ms = Math.round(Number(m[1]) * durationUnits[m[2] ?? 'ms']);
    if (opts.min !== undefined && ms < opts.min) return fail(`must be at least ${opts.min}ms`);
    if (opts.max !== undefined && ms > opts.max) return fail(`must be at most ${opts.max}ms`);
    return ok(ms);
  });
}

export function list(opts: Common<string[]> & { separator?: string } = {}): Field<string[]> {
  return field('list', opts, (raw) =>
    ok(
      raw
        .split(opts.separator ?? ',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  );
}
