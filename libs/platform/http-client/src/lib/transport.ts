import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CallScope } from './deadline';

/** A complete answer, body still raw: the caller decides how to read it. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The answer's body is larger than this client accepts. */
export class ResponseTooLarge extends Error {
  constructor(limit: number) {
    super(`response body exceeds ${limit} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * One exchange through undici's dispatcher API, with the whole body collected into one
 * buffer. It skips what `request()` adds (an AbortSignal listener and a Readable body per
 * call), which is most of this client's cost budget; cancellation goes through the call's
 * scope straight to undici's controller instead, which closes the connection just the same.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private bytes = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;

  constructor(
    private readonly scope: CallScope,
    private readonly maxBytes: number,
    private readonly resolve: (answer: RawAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    scope.setCanceller((reason) => {
      // Not started yet (queued for a connection): fail now, abort when undici gets to it.
      if (this.controller === undefined) this.fail(reason);
      else this.controller.abort(reason);
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled || this.scope.signal.aborted) controller.abort(this.scope.signal.reason as Error);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      controller.abort(new ResponseTooLarge(this.maxBytes));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.scope.setCanceller(undefined);
    const chunks = this.chunks;
    this.resolve({ status: this.status, headers: this.headers, body: chunks.length === 1 ? (chunks[0] as Buffer) : chunks.length === 0 ? EMPTY : Buffer.concat(chunks, this.bytes) });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.scope.setCanceller(undefined);
    this.reject(error);
  }
}

export function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, scope: CallScope, maxBytes: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    if (scope.signal.aborted) {
      reject(scope.signal.reason);
      return;
    }
    dispatcher.dispatch(options, new CollectingHandler(scope, maxBytes, resolve, reject));
  });
}
