import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every object schema closed: a property the document does not publish is an error. */
function closeObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = closeObjects(value);
  if (out['type'] === 'object' || out['properties'] !== undefined) out['additionalProperties'] = false;
  return out;
}

export interface PublishedShapes {
  /** A validator for the JSON body that `method path` answers with `status`, as the document publishes it. */
  response(method: string, path: string, status: number): ValidateFunction;
}

/** Validators built from the app's own OpenAPI 3.1 document (/mobile/openapi.json). */
export function publishedShapes(document: Record<string, unknown>): PublishedShapes {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  const closed = closeObjects(document as Json) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };
  ajv.addSchema({ $id: 'mobile-openapi', components: (closed as unknown as { components: Json }).components } as object);
  return {
    response(method, path, status) {
      const schema = closed.paths[path]?.[method.toLowerCase()]?.responses[String(status)]?.content?.['application/json']?.schema;
      if (schema === undefined) throw new Error(`the document publishes no JSON ${status} response for ${method} ${path}`);
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"mobile-openapi#/components/')) as object;
      return ajv.compile(rebased);
    },
  };
}

/** Keys anywhere in a JSON value (to prove internal fields never leave). */
export function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) allKeys(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      allKeys(inner, into);
    }
  }
  return into;
}
