/**
 * Tiny builders that keep the JSON Schema readable. Every object is closed
 * (`additionalProperties: false`): unknown keys are errors.
 */
export type JsonSchema = { [keyword: string]: unknown };

interface Common {
  description?: string;
  default?: unknown;
}

const withCommon = (schema: JsonSchema, opts: Common): JsonSchema => ({
  ...(opts.description !== undefined ? { description: opts.description } : {}),
  ...schema,
  ...(opts.default !== undefined ? { default: opts.default } : {}),
});

export const ref = (def: string, opts: Common = {}): JsonSchema => withCommon({ $ref: `#/$defs/${def}` }, opts);

export function object(properties: Record<string, JsonSchema>, opts: Common & { required?: string[] } = {}): JsonSchema {
  return withCommon(
    {
      type: 'object',
      properties,
      additionalProperties: false,
      ...(opts.required && opts.required.length > 0 ? { required: opts.required } : {}),
    },
    opts,
  );
}

/** A map of id → value, ids in the common id syntax. */
export function idMap(value: JsonSchema, opts: Common & { minProperties?: number } = {}): JsonSchema {
  return withCommon(
    {
      type: 'object',
      propertyNames: ref('id'),
      additionalProperties: value,
      ...(opts.minProperties !== undefined ? { minProperties: opts.minProperties } : {}),
    },
    opts,
  );
}

export function integer(minimum: number, maximum: number, opts: Common = {}): JsonSchema {
  return withCommon({ type: 'integer', minimum, maximum }, opts);
}

export function number(minimum: number, maximum: number, opts: Common = {}): JsonSchema {
  return withCommon({ type: 'number', minimum, maximum }, opts);
}

export function string(opts: Common & { pattern?: string; patternErrorMessage?: string; minLength?: number; maxLength?: number } = {}): JsonSchema {
  const { description: _d, default: _x, ...rest } = opts;
  return withCommon({ type: 'string', ...rest }, opts);
}

export const boolean = (opts: Common = {}): JsonSchema => withCommon({ type: 'boolean' }, opts);

export function array(items: JsonSchema, opts: Common & { minItems?: number; maxItems?: number; uniqueItems?: boolean } = {}): JsonSchema {
  const { description: _d, default: _x, ...rest } = opts;
  return withCommon({ type: 'array', items, ...rest }, opts);
}

export function oneOf(values: readonly (string | number)[], opts: Common = {}): JsonSchema {
  return withCommon({ enum: [...values] }, opts);
}

/** `additionalProperties: value` with header-name keys (for header operation maps). */
export function headerMap(value: JsonSchema, opts: Common = {}): JsonSchema {
  return withCommon({ type: 'object', propertyNames: ref('headerName'), additionalProperties: value }, opts);
}
