import { clusterDefs } from './cluster.schema';
import { commonDefs } from './common.schema';
import { idMap, type JsonSchema, ref } from './json-schema-builders';
import { policyDefs } from './policy.schema';
import { routeDefs } from './route.schema';
import { serverDefs } from './server.schema';

/**
 * The JSON Schema (draft 2020-12) of the gateway configuration file. This object is the source
 * of truth; `gateway-config.schema.json` beside the lib's index is generated from it for editors
 * (a unit test fails when they differ). It lives in TypeScript so that the built app carries it.
 */
export const gatewayConfigJsonSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:edge-platform:gateway-config:1',
  title: 'Edge gateway configuration',
  description: 'Routes (match → target, policies by name), clusters (how to reach upstreams) and named policies. See @edge/gateway-config.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'clusters', 'routes'],
  properties: {
    $schema: { type: 'string' },
    version: { const: 1, description: 'Format version' },
    server: ref('server'),
    clusters: idMap(ref('cluster'), { minProperties: 1, description: 'id → cluster' }),
    policies: ref('policies'),
    routes: { type: 'array', items: ref('route'), minItems: 1, description: 'Routes; precedence is computed (exact > longer prefix > order), not file order' },
    openapi: ref('openapi'),
  },
  $defs: { ...commonDefs, ...serverDefs, ...clusterDefs, ...policyDefs, ...routeDefs },
};
