import { currentRequestContext } from './request-context';
import { formatTraceparent, newSpanId, newTraceId } from './trace-context';

export type SpanKind = 'server' | 'client' | 'internal';
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

/** A finished span, as handed to an exporter (OTLP mapping lives in the exporter). */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startTimeMs: number;
  endTimeMs: number;
  attributes: SpanAttributes;
  error: boolean;
}

export interface SpanExporter {
  export(span: SpanRecord): void;
}

export interface Span {
  readonly traceId: string;
  readonly spanId: string;
  /** The traceparent to send on the outbound call this span measures. */
  readonly traceparent: string;
  setAttribute(key: string, value: string | number | boolean | undefined): void;
  end(outcome?: { error?: boolean }): void;
}

let exporter: SpanExporter | undefined;

/** True when spans are exported: callers skip building span names and attributes otherwise. */
export function tracingEnabled(): boolean {
  return exporter !== undefined;
}

/** Installs where finished spans go (e.g. an OTLP exporter when OTEL_EXPORTER_OTLP_ENDPOINT is set). */
export function setSpanExporter(next: SpanExporter | undefined): void {
  exporter = next;
}

/**
 * Starts a span as a child of the current request's span (or a new trace outside a
 * request). Cheap when no exporter is installed: ids and a traceparent, nothing recorded.
 */
export function startSpan(name: string, kind: SpanKind, attributes: SpanAttributes = {}): Span {
  const ctx = currentRequestContext();
  const traceId = ctx?.trace.traceId ?? newTraceId();
  const parentSpanId = ctx?.trace.spanId;
  const spanId = newSpanId();
  const flags = ctx?.trace.flags ?? '01';
  const startTimeMs = Date.now();
  let ended = false;
  return {
    traceId,
    spanId,
    traceparent: formatTraceparent(traceId, spanId, flags),
    setAttribute(key, value) {
      attributes[key] = value;
    },
    end(outcome = {}) {
      if (ended) return;
      ended = true;
      exporter?.export({ traceId, spanId, parentSpanId, name, kind, startTimeMs, endTimeMs: Date.now(), attributes, error: outcome.error ?? false });
    },
  };
}

/** Records the server span of a finished inbound request (no-op without an exporter). */
export function recordServerSpan(
  trace: { traceId: string; spanId: string; parentSpanId?: string },
  name: string,
  startTimeMs: number,
  attributes: SpanAttributes,
  error: boolean,
): void {
  exporter?.export({ traceId: trace.traceId, spanId: trace.spanId, parentSpanId: trace.parentSpanId, name, kind: 'server', startTimeMs, endTimeMs: Date.now(), attributes, error });
}
