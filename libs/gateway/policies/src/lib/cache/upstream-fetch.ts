import type { Exchange } from '../exchange';

export interface UpstreamFetchOptions {
  /** Edits the forwarded headers after the handler's own and the exchange's request filters. */
  editHeaders(headers: string[]): void;
  /** A body over this size is not collected (`body: null`). */
  maxBodyBytes: number;
}

export interface UpstreamFetchResult {
  status: number;
  /** Lower-case names, hop-by-hop headers removed (as the handler's forward gives them). */
  headers: Record<string, string | string[]>;
  body: Buffer | null;
}

/**
 * Sends the exchange's request (GET, same route, path, query and identity) upstream once
 * more, in the background, buffered: what stale-while-revalidate refreshes with. Provided by
 * the gateway runtime (it owns the clusters); it must not touch `exchange.res`, which already
 * carries the stale answer.
 */
export type UpstreamFetch = (exchange: Exchange, options: UpstreamFetchOptions) => Promise<UpstreamFetchResult>;
