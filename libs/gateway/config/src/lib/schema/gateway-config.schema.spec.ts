import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayConfigJsonSchema } from './gateway-config.schema';

const jsonFile = join(__dirname, '..', '..', 'gateway-config.schema.json');
const expected = `${JSON.stringify(gatewayConfigJsonSchema, null, 2)}\n`;

describe('gateway-config.schema.json', () => {
  // Editors read the committed JSON file; the gateway uses the TypeScript object it is made from.
  it('is the committed copy of the schema object (regenerate: WRITE_GATEWAY_SCHEMA=1 npx nx test gateway-config)', () => {
    if (process.env['WRITE_GATEWAY_SCHEMA'] === '1') writeFileSync(jsonFile, expected);
    expect(readFileSync(jsonFile, 'utf8')).toBe(expected);
  });

  it('is a draft 2020-12 schema that closes every object (unknown keys are errors)', () => {
    expect(gatewayConfigJsonSchema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    const open: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const s = node as Record<string, unknown>;
      if (s['type'] === 'object' && s['properties'] !== undefined && s['additionalProperties'] !== false) open.push(at);
      for (const [k, v] of Object.entries(s)) walk(v, `${at}/${k}`);
    };
    walk(gatewayConfigJsonSchema, '#');
    expect(open).toEqual([]);
  });
});
