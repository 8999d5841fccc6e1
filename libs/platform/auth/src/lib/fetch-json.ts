import { request } from 'undici';

export interface FetchJsonResult {
  status: number;
  /** Parsed body for 200 responses, undefined otherwise. */
  body: unknown;
}

/**
 * GET a small JSON document with a hard bound on time (the caller's signal) and size.
 * No redirects are followed: an IdP that moves its keys says so in discovery.
 */
export async function fetchJson(url: string, options: { signal: AbortSignal; maxBytes: number }): Promise<FetchJsonResult> {
  const res = await request(url, { method: 'GET', signal: options.signal, headers: { accept: 'application/json' } });
  if (res.statusCode !== 200) {
    await res.body.dump();
    return { status: res.statusCode, body: undefined };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > options.maxBytes) {
      res.body.destroy();
      throw new Error(`document larger than ${options.maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return { status: 200, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
}
