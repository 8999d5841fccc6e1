import { type PathPattern, upstreamPathProblem } from './path-pattern';
import type { RewriteConfig } from './types/route-config.types';

export const REST_PLACEHOLDER = '{**rest}';

/** What to send upstream, given the request path and the remainder after the matched prefix. */
export type PathRewriter = (path: string, remainder: string) => string;

/** Inverse of a rewrite (upstream path → external path) for the OpenAPI portal, when one exists. */
export type PathUnrewriter = (upstreamPath: string) => string | undefined;

/** Problems of a rewrite on a route with this pattern, as [key under `rewrite`, message]. */
export function rewriteProblems(rewrite: RewriteConfig, pattern: PathPattern | undefined): [string | null, string][] {
  const forms = (['stripPrefix', 'replacePrefix', 'path'] as const).filter((k) => rewrite[k] !== undefined);
  if (forms.length !== 1) {
    return [[null, forms.length === 0 ? 'needs one of stripPrefix, replacePrefix, path' : `use only one of ${forms.join(', ')}`]];
  }
  const problems: [string | null, string][] = [];
  const isExact = pattern?.kind === 'exact';
  if (rewrite.stripPrefix !== undefined && isExact) problems.push(['stripPrefix', 'needs a prefix pattern ("/x/**"); use rewrite.path on an exact route']);
  if (rewrite.replacePrefix !== undefined) {
    if (isExact) problems.push(['replacePrefix', 'needs a prefix pattern ("/x/**"); use rewrite.path on an exact route']);
    const p = upstreamPathProblem(rewrite.replacePrefix, { allowQuery: false });
    if (p) problems.push(['replacePrefix', p]);
    else if (rewrite.replacePrefix !== '/' && rewrite.replacePrefix.endsWith('/')) problems.push(['replacePrefix', 'must not end with "/" (the remainder starts with one)']);
  }
  if (rewrite.path !== undefined) {
    const template = rewrite.path;
    const p = upstreamPathProblem(template.replace(REST_PLACEHOLDER, 'rest'), { allowQuery: false });
    if (p) problems.push(['path', p]);
    const count = template.split(REST_PLACEHOLDER).length - 1;
    if (count > 1) problems.push(['path', `may contain ${REST_PLACEHOLDER} once`]);
    if (count === 1 && isExact) problems.push(['path', `${REST_PLACEHOLDER} needs a prefix pattern: an exact route has no remainder`]);
    if (/[{}]/.test(template.replace(REST_PLACEHOLDER, ''))) problems.push(['path', `the only placeholder is ${REST_PLACEHOLDER}`]);
  }
  return problems;
}

/** Precompiles a (valid) rewrite; no rewrite forwards the request path unchanged. */
export function compileRewrite(rewrite: RewriteConfig | undefined): PathRewriter {
  if (!rewrite) return (path) => path;
  if (rewrite.stripPrefix) return (_path, remainder) => (remainder === '' ? '/' : remainder);
  if (rewrite.replacePrefix !== undefined) {
    const base = rewrite.replacePrefix === '/' ? '' : rewrite.replacePrefix;
    return (_path, remainder) => (base + remainder === '' ? '/' : base + remainder);
  }
  const template = rewrite.path ?? '/';
  const at = template.indexOf(REST_PLACEHOLDER);
  if (at < 0) return () => template;
  const before = template.slice(0, at);
  const after = template.slice(at + REST_PLACEHOLDER.length);
  return (_path, remainder) => before + remainder.slice(1) + after;
}

/**
 * Inverse mapping for prefix routes whose rewrite keeps the remainder as is (none, stripPrefix,
 * replacePrefix): `/customers/7` → `/api/users/7`. Templates and exact routes have none.
 */
export function compileUnrewrite(rewrite: RewriteConfig | undefined, pattern: PathPattern): PathUnrewriter | null {
  if (pattern.kind !== 'prefix') return null;
  const external = pattern.prefix;
  const internal = !rewrite ? external : rewrite.stripPrefix ? '' : rewrite.replacePrefix !== undefined ? (rewrite.replacePrefix === '/' ? '' : rewrite.replacePrefix) : null;
  if (internal === null) return null;
  return (upstreamPath) => {
    if (internal === '') return external + (upstreamPath === '/' ? '' : upstreamPath) || '/';
    if (upstreamPath === internal) return external || '/';
    if (upstreamPath.startsWith(`${internal}/`)) return external + upstreamPath.slice(internal.length);
    return undefined;
  };
}
