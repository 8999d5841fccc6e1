import { array, type JsonSchema, oneOf, string } from './json-schema-builders';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** Shared $defs: the small vocabularies used across the file. */
export const commonDefs: Record<string, JsonSchema> = {
  id: string({
    pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
    patternErrorMessage: 'ids are 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
  }),
  headerName: string({
    pattern: '^[A-Za-z0-9-]{1,100}$',
    patternErrorMessage: 'a header name: letters, digits and "-" (underscores are rejected at the edge)',
  }),
  headerPattern: string({
    pattern: '^[A-Za-z0-9*-]{1,100}$',
    patternErrorMessage: 'a header name pattern: letters, digits, "-" and "*" (any characters)',
  }),
  httpMethod: oneOf(HTTP_METHODS),
  httpMethods: array({ $ref: '#/$defs/httpMethod' }, { minItems: 1, uniqueItems: true }),
  url: string({
    pattern: '^https?://[^\\s]+$',
    patternErrorMessage: 'an http:// or https:// URL',
  }),
  /** A path on an upstream (checked further by the semantic checks). */
  upstreamPath: string({ minLength: 1, maxLength: 2048 }),
  cidr: string({ minLength: 2, maxLength: 64, description: 'An IPv4/IPv6 address or CIDR block, e.g. 10.0.0.0/8 or ::1/128' }),
  cidrs: array({ $ref: '#/$defs/cidr' }, { uniqueItems: true }),
  envName: string({
    pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
    patternErrorMessage: 'the name of an environment variable (the secret itself never goes in this file)',
  }),
  idList: array({ $ref: '#/$defs/id' }, { uniqueItems: true }),
  scopes: array(string({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$', patternErrorMessage: 'a scope token (no spaces or quotes)' }), { uniqueItems: true }),
};
