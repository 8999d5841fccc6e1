/** Why a call's signal was aborted: its deadline passed, or someone upstream of us gave up. */
export class CallAborted extends Error {
  constructor(readonly why: 'timeout' | 'aborted') {
    super(why === 'timeout' ? 'call deadline exceeded' : 'call cancelled');
    this.name = 'CallAborted';
  }
}

const DEADLINE_EXCEEDED = new CallAborted('timeout');
const CANCELLED = new CallAborted('aborted');

/**
 * One abort listener per inbound signal, however many calls the request makes: calls join
 * and leave a set (cheap), instead of each adding and removing an EventTarget listener
 * (which costs more than the rest of the call's bookkeeping together).
 */
const watchers = new WeakMap<AbortSignal, Set<CallScope>>();

function watch(signal: AbortSignal, scope: CallScope): void {
  let scopes = watchers.get(signal);
  if (scopes === undefined) {
    const created = new Set<CallScope>();
    scopes = created;
    watchers.set(signal, created);
    signal.addEventListener('abort', () => {
      for (const watching of created) watching.cancel();
      created.clear();
    }, { once: true });
  }
  scopes.add(scope);
}

export interface CallScopeInit {
  /** The dependency's own per-call timeout. */
  timeoutMs: number;
  /** The inbound request's deadline (epoch ms), when there is one. */
  inboundDeadline?: number;
  /** Aborted when the inbound request goes away. */
  inboundSignal?: AbortSignal;
  /** The caller's own deadline (epoch ms) or signal, if any. */
  deadline?: number;
  signal?: AbortSignal;
  now: number;
}

/**
 * One call's deadline and cancellation: the smallest of the dependency's timeout, the inbound
 * request's deadline and the caller's, and one signal that aborts when that passes or when
 * the inbound request or the caller gives up. Every attempt, backoff and queue wait of the
 * call listens to this one signal; aborting it makes undici close the connection, so the
 * upstream sees the call end. `close()` always clears the timer and the listeners.
 */
export class CallScope {
  readonly deadline: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly linked: AbortSignal[] = [];
  private canceller: ((reason: CallAborted) => void) | undefined;

  constructor(init: CallScopeInit) {
    let deadline = init.now + init.timeoutMs;
    if (init.inboundDeadline !== undefined && init.inboundDeadline < deadline) deadline = init.inboundDeadline;
    if (init.deadline !== undefined && init.deadline < deadline) deadline = init.deadline;
    this.deadline = deadline;
    this.link(init.inboundSignal);
    this.link(init.signal);
    const left = deadline - init.now;
    if (this.controller.signal.aborted) return;
    if (left <= 0) {
      this.abort(DEADLINE_EXCEEDED);
      return;
    }
    // Not unref'd: the call's socket keeps the loop alive anyway, and (un)ref toggles cost a native call each.
    this.timer = setTimeout(() => this.abort(DEADLINE_EXCEEDED), left);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Why the call was aborted, once it was. */
  get abortedBecause(): 'timeout' | 'aborted' | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof CallAborted ? reason.why : undefined;
  }

  /**
   * The exchange in flight registers how to cancel it here, so that it needs no AbortSignal
   * listener of its own (one per call is what undici's signal support costs).
   */
  setCanceller(cancel: ((reason: CallAborted) => void) | undefined): void {
    this.canceller = cancel;
  }

  remaining(now: number = Date.now()): number {
    return Math.max(0, this.deadline - now);
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const signal of this.linked) watchers.get(signal)?.delete(this);
    this.linked.length = 0;
  }

  /** The inbound request or the caller gave up. */
  cancel(): void {
    this.abort(CANCELLED);
  }

  private abort(reason: CallAborted): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    this.canceller?.(reason);
  }

  private link(signal: AbortSignal | undefined): void {
    if (signal === undefined || this.controller.signal.aborted) return;
    if (signal.aborted) {
      this.abort(CANCELLED);
      return;
    }
    watch(signal, this);
    this.linked.push(signal);
  }
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts (timer always cleared). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
