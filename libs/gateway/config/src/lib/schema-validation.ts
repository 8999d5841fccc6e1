import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { type ConfigProblem, jsonPath, type PathSegment } from './problems';
import { gatewayConfigJsonSchema } from './schema/gateway-config.schema';
import { renameHint } from './schema/renamed-keys';

let compiled: ValidateFunction | undefined;

/** Compiled once, on first use (ajv generates code; ~tens of ms). */
function validator(): ValidateFunction {
  if (!compiled) {
    // allErrors: report every problem; verbose: parentSchema for custom pattern messages.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictRequired: false, validateFormats: false });
    // VS Code / yaml-language-server read this annotation too.
    ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
    compiled = ajv.compile(gatewayConfigJsonSchema);
  }
  return compiled;
}

/** Validates the shape (keys, types, ranges, enums); semantic checks are separate. */
export function validateSchema(raw: unknown): ConfigProblem[] {
  const validate = validator();
  if (validate(raw)) return [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const problem = toProblem(error);
    if (!problem) continue;
    const key = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function segmentsOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Where in the schema an object schema sits (`cluster.pool`, `route`, `` for the root), found by
 * identity: ajv's schemaPath is relative to the last $ref, so it cannot name the definition.
 */
const contexts = new WeakMap<object, string>();
function registerContexts(schema: unknown, context: string): void {
  if (typeof schema !== 'object' || schema === null || contexts.has(schema)) return;
  contexts.set(schema, context);
  const s = schema as Record<string, unknown>;
  const properties = (s['properties'] ?? {}) as Record<string, unknown>;
  for (const [key, sub] of Object.entries(properties)) registerContexts(sub, context === '' ? key : `${context}.${key}`);
  if (s['items']) registerContexts(s['items'], context);
}
registerContexts(gatewayConfigJsonSchema, '');
for (const [name, def] of Object.entries(gatewayConfigJsonSchema['$defs'] as Record<string, unknown>)) registerContexts(def, name);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function toProblem(error: ErrorObject): ConfigProblem | null {
  const at = segmentsOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const hint = renameHint(error.parentSchema ? (contexts.get(error.parentSchema) ?? '?') : '?', key);
      const allowed = Object.keys((error.parentSchema?.['properties'] as Record<string, unknown> | undefined) ?? {});
      const tail = hint ? `renamed: use ${hint}` : allowed.length > 0 ? `known keys: ${allowed.join(', ')}` : '';
      return { path: jsonPath([...at, key]), message: `unknown key${tail ? ` (${tail})` : ''}` };
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const isRouteAuth = key === 'auth' && at.length === 2 && at[0] === 'routes';
      const isJwtSetting = error.schemaPath.endsWith('/else/required');
      return {
        path: jsonPath([...at, key]),
        message: isRouteAuth
          ? 'is required: every route makes an explicit auth decision (name an auth policy; an `anonymous: true` policy makes it public)'
          : isJwtSetting
            ? 'is required for a JWT policy (or make the policy `anonymous: true`)'
            : 'is required',
      };
    }
    case 'dependentRequired':
      return { path: jsonPath([...at, String(params['missingProperty'])]), message: `is required when ${String(params['property'])} is set` };
    case 'type':
      return { path: jsonPath(at), message: `must be ${article(String(params['type']))} (got ${describe(error.data)})` };
    case 'enum':
      return {
        path: jsonPath(at),
        message: `must be one of ${((params['allowedValues'] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')} (got ${describe(error.data)})`,
      };
    case 'const':
      return { path: jsonPath(at), message: `must be ${JSON.stringify(params['allowedValue'])} (got ${describe(error.data)})` };
    case 'pattern': {
      const custom = error.parentSchema?.['patternErrorMessage'];
      const where = error.propertyName !== undefined ? [...at, error.propertyName] : at;
      const subject = error.propertyName !== undefined ? `invalid name ${JSON.stringify(error.propertyName)}` : `invalid value ${describe(error.data)}`;
      return { path: jsonPath(where), message: `${subject}: ${typeof custom === 'string' ? custom : `must match ${String(params['pattern'])}`}` };
    }
    case 'propertyNames':
    case 'if':
      return null; // the nested error (pattern / required) says it better
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path: jsonPath(at), message: `must be ${String(params['comparison'])} ${String(params['limit'])} (got ${describe(error.data)})` };
    case 'minItems':
      return { path: jsonPath(at), message: `must have at least ${String(params['limit'])} item(s)` };
    case 'maxItems':
      return { path: jsonPath(at), message: `must have at most ${String(params['limit'])} items` };
    case 'minProperties':
      return { path: jsonPath(at), message: `must have at least ${String(params['limit'])} entr${params['limit'] === 1 ? 'y' : 'ies'}` };
    case 'minLength':
      return { path: jsonPath(at), message: params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters` };
    case 'maxLength':
      return { path: jsonPath(at), message: `must be at most ${String(params['limit'])} characters` };
    case 'uniqueItems':
      return { path: jsonPath(at), message: `must not repeat items (items ${String(params['j'])} and ${String(params['i'])} are equal)` };
    default:
      return { path: jsonPath(at), message: error.message ?? `is invalid (${error.keyword})` };
  }
}

function article(type: string): string {
  const word = type === 'integer' ? 'an integer' : type === 'object' ? 'an object' : type === 'array' ? 'an array' : `a ${type}`;
  return word;
}
