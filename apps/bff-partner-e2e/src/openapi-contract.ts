import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

type Json = Record<string, unknown>;

interface ResponseObject {
  content?: Record<string, { schema?: Json }>;
}

/** Every object schema without a word on extra members gets `additionalProperties: false`. */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'example' || key === 'examples' ? value : closed(value);
  if ((out['type'] === 'object' || out['properties'] !== undefined) && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

/**
 * Checks answers against the published OpenAPI document, strictly: a member the schema does
 * not declare fails (the published schemas stay open for additive changes; the tests do not).
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ allErrors: true, strict: false, formats: { 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, uri: /^[a-z][a-z0-9+.-]*:\S+$/i } });
  private readonly components: unknown;
  private readonly compiled = new Map<string, ValidateFunction>();
  /** `METHOD template status` of every answer checked. */
  readonly seen = new Set<string>();

  constructor(private readonly document: Json) {
    this.components = closed(document['components']);
  }

  /** Problems with the answer: undocumented status or media type, or a body that does not match. */
  check(method: string, template: string, status: number, contentType: string | undefined, body: unknown): string[] {
    const operation = ((this.document['paths'] as Json)[template] as Json | undefined)?.[method.toLowerCase()] as Json | undefined;
    if (!operation) return [`${method} ${template} is not in the document`];
    const response = (operation['responses'] as Record<string, ResponseObject>)[String(status)];
    if (!response) return [`${method} ${template} does not document status ${status}`];
    const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
    const schema = response.content?.[mediaType]?.schema;
    if (!schema) return [`${method} ${template} ${status} does not document ${mediaType || 'an empty body'}`];
    const id = `${method} ${template} ${status} ${mediaType}`;
    let validate = this.compiled.get(id);
    if (!validate) {
      validate = this.ajv.compile({ ...(closed(schema) as Json), components: this.components });
      this.compiled.set(id, validate);
    }
    this.seen.add(`${method.toUpperCase()} ${template} ${status}`);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${id}: ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  operations(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.document['paths'] as Record<string, Json>)) {
      for (const method of Object.keys(item)) out.push(`${method.toUpperCase()} ${path}`);
    }
    return out.sort();
  }
}
