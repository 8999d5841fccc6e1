/** What the response filters of one exchange tell each other. */
export interface ResponseState {
  /** The cache answered from an entry instead of the upstream body (revalidated, stale-if-error). */
  replaced: boolean;
  /** A transform replaced the response with a 502 (JSON filtering failed closed): never store it. */
  failed: boolean;
}

export const newResponseState = (): ResponseState => ({ replaced: false, failed: false });
