import { Injectable } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { problem } from '@edge/problem-details';

interface Validators {
  path?: ValidateFunction;
  query?: ValidateFunction;
  body?: ValidateFunction;
}

interface FieldError {
  field: string;
  detail: string;
}

type Schema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** `/orders/{id}` (OpenAPI) → `/orders/:id` (the router's template). */
export function routeTemplate(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/** `/items/1/quantity` + `price` → `items[1].quantity.price`. */
function fieldName(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name ? `${name}.${part}` : part), '');
}

function fieldErrors(errors: readonly ErrorObject[], where: 'body' | 'query' | 'path'): FieldError[] {
  const out = new Map<string, FieldError>();
  for (const e of errors) {
    let field: string;
    let detail: string;
    if (e.keyword === 'additionalProperties') {
      field = fieldName(e.instancePath, String(e.params['additionalProperty']));
      detail = 'is not a known field';
    } else if (e.keyword === 'required') {
      field = fieldName(e.instancePath, String(e.params['missingProperty']));
      detail = 'is required';
    } else if (e.keyword === 'enum') {
      field = fieldName(e.instancePath);
      detail = `must be one of ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
    } else {
      field = fieldName(e.instancePath);
      detail = e.message ?? 'is invalid';
    }
    field ||= `(${where})`;
    out.set(`${field}\n${detail}`, { field, detail });
  }
  return [...out.values()];
}

/**
 * Requests are checked against the schema this API publishes — the very OpenAPI document
 * served at /partner/openapi.json — so the contract and the checks cannot drift apart:
 * path and query parameters (unknown parameters refused) and JSON bodies (unknown fields
 * refused). Every invalid field is reported in one 400 validation-failed problem.
 */
@Injectable()
export class PublishedSchema {
  private readonly operations = new Map<string, Validators>();
  private document: OpenAPIObject | undefined;

  /** Compiles a validator per documented operation (once, at start-up). */
  install(document: OpenAPIObject): void {
    this.document = document;
    const formats = { 'date-time': DATE_TIME };
    const bodies = new Ajv2020({ allErrors: true, strict: false, formats });
    // Query strings and path segments are text: numbers and booleans are coerced before checking.
    const params = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true, formats });
    const components = document.components ?? {};
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const operation = (item as Record<string, Operation | undefined>)[method];
        if (!operation) continue;
        const validators: Validators = {};
        for (const where of ['path', 'query'] as const) {
          const parameters = (operation.parameters ?? []).filter((p) => p.in === where);
          if (where === 'path' && parameters.length === 0) continue;
          validators[where] = params.compile({
            type: 'object',
            properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema ?? {}])),
            required: parameters.filter((p) => p.required).map((p) => p.name),
            additionalProperties: false,
            components,
          });
        }
        const body = operation.requestBody?.content?.['application/json']?.schema;
        if (body) validators.body = bodies.compile({ ...body, components });
        this.operations.set(`${method.toUpperCase()} ${routeTemplate(path)}`, validators);
      }
    }
  }

  /** The document the validators were compiled from. */
  get published(): OpenAPIObject {
    if (!this.document) throw new Error('PublishedSchema.install() was not called');
    return this.document;
  }

  isDocumented(method: string, route: string): boolean {
    return this.operations.has(`${method.toUpperCase()} ${route}`);
  }

  /** Throws 400 validation-failed listing every invalid field; an undocumented route is a bug (500). */
  validate(method: string, route: string, request: { params?: unknown; query?: unknown; body?: unknown }): void {
    const validators = this.operations.get(`${method.toUpperCase()} ${route}`);
    if (!validators) throw new Error(`${method} ${route} is not in the published OpenAPI document`);
    const errors: FieldError[] = [];
    if (validators.path && !validators.path(request.params ?? {})) errors.push(...fieldErrors(validators.path.errors ?? [], 'path'));
    if (validators.query && !validators.query(request.query ?? {})) errors.push(...fieldErrors(validators.query.errors ?? [], 'query'));
    if (validators.body && !validators.body(request.body)) errors.push(...fieldErrors(validators.body.errors ?? [], 'body'));
    if (errors.length > 0) throw problem('validation-failed', { detail: 'The request has invalid fields.', extensions: { errors } });
  }
}
