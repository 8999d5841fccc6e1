import { UnsafeRequestError } from './upstream-error';

export type PathParams = Readonly<Record<string, string | number>>;
export type QueryValue = string | number | boolean;
export type QueryParams = Readonly<Record<string, QueryValue | readonly QueryValue[] | undefined>>;

interface CompiledTemplate {
  /** Literal pieces around the parameters: literals.length === names.length + 1. */
  literals: string[];
  names: string[];
}

// Characters a literal path may hold (RFC 3986 pchar and '/'); anything else is a caller bug.
const LITERAL_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const ENCODED_DOT_SLASH_BACKSLASH = /%2e|%2f|%5c/i;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;

function decodeOnce(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // Not valid percent-encoding ("50%"): it cannot smuggle anything, and it gets encoded.
    return value;
  }
}

/**
 * The base URL a client is confined to, parsed once. Every request path is built under
 * `basePath` and checked again as a whole URL before it is sent.
 */
export class SafeUrl {
  readonly origin: string;
  /** '' or '/api' (no trailing slash). */
  readonly basePath: string;
  private readonly templates = new Map<string, CompiledTemplate>();

  constructor(
    private readonly dependency: string,
    baseUrl: string,
  ) {
    const url = new URL(baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
  }

  /** The path (with query) to send to this client's origin; throws UnsafeRequestError on any escape. */
  build(template: string, params: PathParams | undefined, query: QueryParams | undefined): string {
    const compiled = this.compile(template);
    let path = compiled.literals[0] as string;
    let used = 0;
    for (let i = 0; i < compiled.names.length; i++) {
      const name = compiled.names[i] as string;
      const value = params?.[name];
      if (value === undefined) throw this.refuse(`path parameter :${name} of ${template} is missing`);
      path += this.encodeParam(name, value) + (compiled.literals[i + 1] as string);
      used++;
    }
    if (params !== undefined && Object.keys(params).length !== used) {
      throw this.refuse(`path parameters given that ${template} does not name`);
    }
    const full = this.basePath + path;
    this.confirm(full, template);
    const search = query === undefined ? '' : encodeQuery(query);
    return search === '' ? full : `${full}?${search}`;
  }

  private compile(template: string): CompiledTemplate {
    const cached = this.templates.get(template);
    if (cached) return cached;
    this.checkTemplate(template);
    const literals: string[] = [];
    const names: string[] = [];
    let literal = '';
    for (const segment of template.split('/').slice(1)) {
      literal += '/';
      if (segment.startsWith(':')) {
        const name = segment.slice(1);
        if (!PARAM_NAME.test(name)) throw this.refuse(`bad parameter name in ${template}`);
        if (names.includes(name)) throw this.refuse(`parameter :${name} appears twice in ${template}`);
        literals.push(literal);
        names.push(name);
        literal = '';
      } else {
        literal += segment;
      }
    }
    literals.push(literal);
    const compiled = { literals, names };
    // Templates are code literals; a bound keeps a caller who builds paths by hand from growing this forever.
    if (this.templates.size < 1000) this.templates.set(template, compiled);
    return compiled;
  }

  private checkTemplate(template: string): void {
    if (!template.startsWith('/')) throw this.refuse('a path must start with "/" (absolute URLs are not accepted)');
    if (template.startsWith('//')) throw this.refuse('a path must not start with "//"');
    if (template.includes('\\')) throw this.refuse('backslash in path');
    if (CONTROL.test(template)) throw this.refuse('control character in path');
    if (template.includes('?') || template.includes('#')) throw this.refuse('query or fragment in path (use the query option)');
    if (!LITERAL_PATH.test(template)) throw this.refuse('character not allowed in a path template');
    if (ENCODED_DOT_SLASH_BACKSLASH.test(template)) throw this.refuse('encoded dot, slash or backslash in path');
    if (DOT_SEGMENT.test(decodeOnce(template))) throw this.refuse('dot segment in path');
  }

  private encodeParam(name: string, raw: string | number): string {
    if (typeof raw === 'number' && !Number.isFinite(raw)) throw this.refuse(`path parameter :${name} is not a finite number`);
    const value = String(raw);
    if (value === '') throw this.refuse(`path parameter :${name} is empty`);
    const decoded = decodeOnce(value);
    for (const candidate of decoded === value ? [value] : [value, decoded]) {
      if (candidate.includes('/') || candidate.includes('\\')) throw this.refuse(`path parameter :${name} contains a slash or backslash`);
      if (candidate.includes('..') || candidate === '.') throw this.refuse(`path parameter :${name} contains a dot segment`);
      if (CONTROL.test(candidate)) throw this.refuse(`path parameter :${name} contains a control character`);
    }
    if (ENCODED_DOT_SLASH_BACKSLASH.test(value)) throw this.refuse(`path parameter :${name} contains an encoded dot, slash or backslash`);
    return encodeURIComponent(value);
  }

  /** Belt and braces: the WHATWG parse of the final URL must keep our origin and our exact path. */
  private confirm(path: string, template: string): void {
    const url = new URL(this.origin + path);
    if (url.origin !== this.origin) throw this.refuse(`${template} leaves ${this.origin}`);
    if (url.pathname !== path || (this.basePath !== '' && !path.startsWith(this.basePath + '/'))) {
      throw this.refuse(`${template} escapes the base path`);
    }
  }

  private refuse(reason: string): UnsafeRequestError {
    return new UnsafeRequestError(this.dependency, reason);
  }
}

export function encodeQuery(query: QueryParams): string {
  let out = '';
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined) continue;
    const values: readonly QueryValue[] = Array.isArray(value) ? value : [value as QueryValue];
    const encodedKey = encodeURIComponent(key);
    for (const v of values) out += (out === '' ? '' : '&') + encodedKey + '=' + encodeURIComponent(String(v));
  }
  return out;
}
