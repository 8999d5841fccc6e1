import { write, writeSync } from 'node:fs';

export interface LineBufferOptions {
  /** Pending characters that trigger a write (default 64 Ki; lines are ASCII but for client-sent paths). */
  flushBytes?: number;
  /** Pending characters past which new lines are dropped and counted (default 4 Mi). */
  maxBytes?: number;
  /** Longest a line waits before it is written (default 1 s). */
  flushIntervalMs?: number;
}

const RETRY_MS = 10;

/**
 * Lines for a file descriptor, written without blocking the event loop: one write(2) per
 * `flushBytes` or per interval, never two at once (lines stay whole and in order). A stuck
 * reader must not grow the heap, so past `maxBytes` lines are dropped and counted; a closed
 * descriptor (EPIPE, EBADF) stops writing for good.
 */
export class LineBuffer {
  private pending = '';
  private writing = false;
  private closed = false;
  private readonly flushBytes: number;
  private readonly maxBytes: number;
  private readonly timer: NodeJS.Timeout;
  /** Lines dropped because the buffer was full or the descriptor closed. */
  dropped = 0;

  constructor(
    readonly fd: number,
    options: LineBufferOptions = {},
  ) {
    this.flushBytes = options.flushBytes ?? 64 * 1024;
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** `line` must end with a newline. */
  push(line: string): void {
    if (this.closed || this.pending.length > this.maxBytes) {
      this.dropped++;
      return;
    }
    this.pending += line;
    if (this.pending.length >= this.flushBytes) this.flush();
  }

  flush(): void {
    if (this.writing || this.closed || this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending);
    this.pending = '';
    this.writing = true;
    this.writeFrom(chunk, 0);
  }

  /** Writes what is pending now, blocking (process exit; tests). */
  flushSync(): void {
    if (this.closed || this.pending.length === 0) return;
    try {
      writeSync(this.fd, this.pending);
    } catch {
      this.dropped++;
    }
    this.pending = '';
  }

  /** Stops the timer; what is pending is written synchronously. */
  close(): void {
    clearInterval(this.timer);
    this.flushSync();
    this.closed = true;
  }

  private writeFrom(chunk: Buffer, offset: number): void {
    write(this.fd, chunk, offset, chunk.length - offset, null, (error, written) => {
      if (error && (error as NodeJS.ErrnoException).code === 'EAGAIN') {
        setTimeout(() => this.writeFrom(chunk, offset), RETRY_MS).unref();
        return;
      }
      if (error) {
        this.closed = true;
        this.writing = false;
        return;
      }
      if (offset + written < chunk.length) {
        this.writeFrom(chunk, offset + written);
        return;
      }
      this.writing = false;
      if (this.pending.length >= this.flushBytes) this.flush();
    });
  }
}
