import { Writable } from 'node:stream';
import type { CompiledGatewayConfig, CompiledRoute } from '@edge/gateway-config';
import type { ClusterRuntime } from '@edge/gateway-proxy';
import type { Logger } from 'pino';
import type { GatewayRuntime } from './gateway-runtime';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Fetches one source document through its cluster (pools, timeouts and breaker apply). */
async function fetchDocument(cluster: ClusterRuntime, path: string, timeoutMs: number): Promise<Json> {
  const chunks: Buffer[] = [];
  let status = 0;
  await cluster.forward({
    method: 'GET',
    path,
    headers: ['accept', 'application/json'],
    body: null,
    retryable: true,
    deadline: Date.now() + timeoutMs,
    respond: (s) => {
      status = s;
      return new Writable({
        write(chunk: Buffer, _e, cb) {
          chunks.push(chunk);
          cb();
        },
      });
    },
  });
  if (status !== 200) throw new Error(`answered ${status}`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
}

/** Renames `#/components/schemas/X` references so that documents of several sources do not collide. */
function prefixRefs(node: unknown, prefix: string): unknown {
  if (Array.isArray(node)) return node.map((n) => prefixRefs(n, prefix));
  if (node && typeof node === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/') ? `#/components/schemas/${prefix}${v.slice(21)}` : prefixRefs(v, prefix);
    }
    return out;
  }
  return node;
}

function securitySchemeFor(route: CompiledRoute): { name: string; scheme: Json } | undefined {
  const auth = route.auth;
  if (auth.kind !== 'jwt') return undefined;
  return {
    name: auth.name,
    scheme: {
      type: 'openIdConnect',
      openIdConnectUrl: `${auth.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`,
      description: `Bearer access token (JWT) for audience ${auth.audiences.join(', ')}${auth.apiKey ? `; or an API key in ${auth.apiKey.header}` : ''}`,
    },
  };
}

/**
 * The one API portal: each service's and BFF's own OpenAPI document, rewritten to the
 * external paths that clients call through the gateway (only paths a published route
 * reaches; internal routes are left out), with the security scheme of each route's auth
 * policy and the gateway's servers. Built at start-up and on every reload.
 */
export async function buildPortalDocument(config: CompiledGatewayConfig, runtime: GatewayRuntime, log: Logger): Promise<Json | undefined> {
  const openapi = config.openapi;
  if (!openapi) return undefined;
  const paths: Json = {};
  const schemas: Json = {};
  const securitySchemes: Json = {};
  for (const source of openapi.sources) {
    let doc: Json;
    try {
      doc = await fetchDocument(runtime.clusters.get(source.cluster.id) as ClusterRuntime, source.path, source.fetchTimeoutMs);
    } catch (error) {
      log.warn({ cluster: source.cluster.id, path: source.path, err: (error as Error).message }, 'OpenAPI source unavailable; left out of the portal');
      continue;
    }
    const prefix = `${source.cluster.id.replace(/[^A-Za-z0-9]/g, '_')}_`;
    const components = (doc['components'] as Json | undefined) ?? {};
    for (const [name, schema] of Object.entries((components['schemas'] as Json | undefined) ?? {})) schemas[prefix + name] = prefixRefs(schema, prefix);
    const routes = config.routes.filter((r) => !r.internal && r.toExternalPath && (r.target.kind === 'cluster' ? r.target.cluster.id === source.cluster.id : r.target.kind === 'weighted' && r.target.choices.some((c) => c.cluster.id === source.cluster.id)));
    for (const [upstreamPath, item] of Object.entries((doc['paths'] as Json | undefined) ?? {})) {
      for (const route of routes) {
        const external = route.toExternalPath?.(upstreamPath);
        if (!external) continue;
        const operations: Json = {};
        for (const [method, op] of Object.entries(item as Json)) {
          if (!(METHODS as readonly string[]).includes(method)) {
            operations[method] = prefixRefs(op, prefix);
            continue;
          }
          if (route.match.methods && !route.match.methods.includes(method.toUpperCase() as never)) continue;
          const operation = prefixRefs(op, prefix) as Json;
          const security = securitySchemeFor(route);
          if (security) {
            securitySchemes[security.name] = security.scheme;
            operation['security'] = [{ [security.name]: route.scopes.length > 0 ? [...route.scopes] : [] }];
          } else operation['security'] = [];
          operation['x-gateway-route'] = route.id;
          operations[method] = operation;
        }
        if (Object.keys(operations).some((k) => (METHODS as readonly string[]).includes(k))) paths[external] = { ...((paths[external] as Json | undefined) ?? {}), ...operations };
        break;
      }
    }
  }
  for (const route of config.routes) {
    if (route.internal || route.target.kind !== 'aggregate') continue;
    const security = securitySchemeFor(route);
    if (security) securitySchemes[security.name] = security.scheme;
    paths[route.match.path] = {
      get: {
        summary: `Composite: ${route.target.parts.map((p) => p.key).join(', ')}`,
        'x-gateway-route': route.id,
        security: security ? [{ [security.name]: [...route.scopes] }] : [],
        responses: {
          '200': { description: 'All parts, or a partial response (Partial-Response: true, warnings) when optional parts failed' },
          default: { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { type: 'object' } } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: openapi.title, version: openapi.version },
    servers: openapi.servers.map((url) => ({ url })),
    paths,
    components: { schemas, securitySchemes },
  };
}

/** A small, dependency-free docs page that renders the document (no CDN: it works offline). */
export function docsPage(documentPath: string, title: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:70rem}code{background:#f3f3f3;padding:0 .3em}
.op{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem .8rem}.m{font-weight:700;text-transform:uppercase;margin-right:.6rem}
.get{color:#0a6}.post{color:#06c}.put,.patch{color:#a60}.delete{color:#c00}small{color:#666}</style></head>
<body><h1>${esc(title)}</h1><p>Machine-readable: <a href="${esc(documentPath)}">${esc(documentPath)}</a></p><div id="ops">Loading…</div>
<script>
fetch(${JSON.stringify(documentPath)}).then(r=>r.json()).then(doc=>{
  const el=document.getElementById('ops');el.textContent='';
  const servers=(doc.servers||[]).map(s=>s.url).join(', ');
  const p=document.createElement('p');p.textContent='Servers: '+servers;el.appendChild(p);
  for(const [path,item] of Object.entries(doc.paths||{})){for(const [m,op] of Object.entries(item)){
    if(!['get','put','post','delete','patch','head','options'].includes(m))continue;
    const d=document.createElement('div');d.className='op';
    const mm=document.createElement('span');mm.className='m '+m;mm.textContent=m;d.appendChild(mm);
    const c=document.createElement('code');c.textContent=path;d.appendChild(c);
    const s=document.createElement('div');s.textContent=(op.summary||op.operationId||'');d.appendChild(s);
    const sec=document.createElement('small');sec.textContent='auth: '+((op.security||[]).map(x=>Object.keys(x).join(' ')).join(', ')||'none');d.appendChild(sec);
    el.appendChild(d);}}
}).catch(e=>{document.getElementById('ops').textContent='Could not load the document: '+e});
</script></body></html>`;
}
