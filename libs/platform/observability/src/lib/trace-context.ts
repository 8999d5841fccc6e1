import { randomBytes } from 'node:crypto';

/** W3C Trace Context (https://www.w3.org/TR/trace-context/), version 00. */
export interface TraceContext {
  traceId: string;
  /** This hop's span id: the parent of every outbound call made while serving the request. */
  spanId: string;
  /** The caller's span id, when the request carried a valid traceparent. */
  parentSpanId?: string;
  flags: string;
  tracestate?: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

// Random ids come from a pooled buffer: one randomBytes call per 256 ids keeps the hot path cheap.
let pool = Buffer.alloc(0);
let offset = 0;
function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

export function parseTraceparent(value: string | undefined): Omit<TraceContext, 'spanId' | 'tracestate'> | undefined {
  if (!value || value.length < 55) return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, parentSpanId, flags, rest] = m;
  if (version === 'ff' || traceId === ZERO_TRACE || parentSpanId === ZERO_SPAN) return undefined;
  // Version 00 has exactly four fields; later versions may append more (and are parsed as 00).
  if (version === '00' && rest !== undefined) return undefined;
  return { traceId: traceId as string, parentSpanId: parentSpanId as string, flags: flags as string };
}

/** tracestate is passed on only when it is plausibly valid (max 32 members, bounded size). */
export function sanitizeTracestate(value: string | undefined): string | undefined {
  if (!value || value.length > 512) return undefined;
  const members = value.split(',').map((m) => m.trim()).filter(Boolean);
  if (members.length === 0 || members.length > 32) return undefined;
  if (!members.every((m) => /^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/.test(m))) {
    return undefined;
  }
  return members.join(',');
}

/** Continues the caller's trace when its traceparent is valid, else starts a new one. */
export function traceContextFrom(traceparent: string | undefined, tracestate: string | undefined): TraceContext {
  const parent = parseTraceparent(traceparent);
  if (!parent) return { traceId: newTraceId(), spanId: newSpanId(), flags: '01' };
  const ctx: TraceContext = { ...parent, spanId: newSpanId() };
  const state = sanitizeTracestate(tracestate);
  if (state) ctx.tracestate = state;
  return ctx;
}

export function formatTraceparent(traceId: string, spanId: string, flags: string): string {
  return `00-${traceId}-${spanId}-${flags}`;
}

/** The traceparent for an outbound call: a new child span of this hop's span. */
export function childTraceparent(ctx: TraceContext, childSpanId: string = newSpanId()): string {
  return formatTraceparent(ctx.traceId, childSpanId, ctx.flags);
}
