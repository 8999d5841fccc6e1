/**
 * What never reaches a log line. Header paths cover pino-http's req/res serialisation;
 * body-ish paths cover objects that code logs on purpose (one and two levels deep).
 */
const sensitiveHeaders = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization', 'x-csrf-token'];
const sensitiveFields = [
  'password',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
  'subject_token',
  'client_secret',
  'code_verifier',
  'apiKey',
  'api_key',
  'secret',
  'sessionId',
  'cookie',
  'authorization',
];

export const redactPaths: string[] = [
  ...sensitiveHeaders.flatMap((h) => [`req.headers["${h}"]`, `res.headers["${h}"]`, `headers["${h}"]`]),
  ...sensitiveFields.flatMap((f) => [`${f}`, `*.${f}`, `*.*.${f}`]),
];

const sensitiveQuery = /^(code|state|token|access_token|id_token|id_token_hint|login_hint|refresh_token|api_key|apikey|key|password|session|client_secret|code_verifier|logout_token|subject_token)$/i;

/** A URL fit for logs: query values of credential-like parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        /* keep raw */
      }
      return eq >= 0 && sensitiveQuery.test(decoded) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}
