/** Why a part's signal was aborted. */
export class PartAborted extends Error {
  constructor(readonly why: 'deadline' | 'sibling-failed' | 'request-aborted') {
    super(why === 'deadline' ? 'part deadline exceeded' : why === 'sibling-failed' ? 'a required part failed' : 'the inbound request was aborted');
    this.name = 'PartAborted';
  }
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts: a part
 * whose call ignores its signal still ends at its deadline. The listener is always removed.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
