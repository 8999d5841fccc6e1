import { CSRF_HEADER, CSRF_HEADER_VALUE, IDEMPOTENCY_KEY_HEADER, PARTIAL_RESPONSE_HEADER, type WarningDto } from '@edge/contracts-web';

/** The BFF answered 401: the session is gone (or never was). */
export class SignedOut extends Error {
  constructor() {
    super('signed out');
    this.name = 'SignedOut';
  }
}

/** Any other problem+json answer. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
  ) {
    super(detail ?? title);
    this.name = 'ApiProblem';
  }
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  partial: boolean;
  warnings: WarningDto[];
}

/**
 * Every call to the BFF: same-origin (the HttpOnly session cookie goes by itself; this
 * code never sees it), with the anti-forgery header, JSON both ways.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; idempotencyKey?: string } = {}): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { [CSRF_HEADER]: CSRF_HEADER_VALUE, accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.idempotencyKey) headers[IDEMPOTENCY_KEY_HEADER] = init.idempotencyKey;
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (res.status === 401) throw new SignedOut();
  const body = (await res.json().catch(() => ({}))) as T & { warnings?: WarningDto[]; title?: string; detail?: string };
  if (!res.ok) throw new ApiProblem(res.status, body.title ?? `HTTP ${res.status}`, body.detail);
  const warnings = Array.isArray(body.warnings) ? body.warnings : [];
  return { status: res.status, body, partial: res.headers.get(PARTIAL_RESPONSE_HEADER) === 'true' || warnings.length > 0, warnings };
}
