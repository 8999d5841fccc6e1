import type { SpanAttributes, SpanExporter, SpanRecord } from './spans';
import { setSpanExporter } from './spans';

const KIND = { internal: 1, server: 2, client: 3 } as const;

function attributes(attrs: SpanAttributes) {
  const out: { key: string; value: Record<string, unknown> }[] = [];
  for (const [key, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (typeof v === 'number') out.push({ key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } });
    else if (typeof v === 'boolean') out.push({ key, value: { boolValue: v } });
    else out.push({ key, value: { stringValue: v } });
  }
  return out;
}

const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

/**
 * OTLP/HTTP JSON trace exporter (opentelemetry-proto, `/v1/traces`): spans are batched,
 * sent at most every `intervalMs`, and dropped (counted) when the buffer is full — tracing
 * must never slow down or break the request path.
 */
export class OtlpHttpExporter implements SpanExporter {
  private buffer: SpanRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  dropped = 0;
  sent = 0;

  constructor(
    private readonly url: string,
    private readonly service: string,
    private readonly options: { intervalMs?: number; maxBuffer?: number; timeoutMs?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), options.intervalMs ?? 1000);
    this.timer.unref();
  }

  export(span: SpanRecord): void {
    if (this.buffer.length >= (this.options.maxBuffer ?? 2048)) {
      this.dropped++;
      return;
    }
    this.buffer.push(span);
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const spans = this.buffer;
    this.buffer = [];
    const body = {
      resourceSpans: [
        {
          resource: { attributes: attributes({ 'service.name': this.service }) },
          scopeSpans: [
            {
              scope: { name: '@edge/observability' },
              spans: spans.map((s) => ({
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                name: s.name,
                kind: KIND[s.kind],
                startTimeUnixNano: nanos(s.startTimeMs),
                endTimeUnixNano: nanos(s.endTimeMs),
                attributes: attributes(s.attributes),
                status: { code: s.error ? 2 : 1 },
              })),
            },
          ],
        },
      ],
    };
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 2000),
      });
      await res.arrayBuffer();
      if (res.ok) this.sent += spans.length;
      else this.dropped += spans.length;
    } catch {
      this.dropped += spans.length;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}

/** Installs an OTLP exporter when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set (OpenTelemetry's env names). */
export function installOtlpExporterFromEnv(service: string, env: Record<string, string | undefined> = process.env): OtlpHttpExporter | undefined {
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  const url = traces ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url) return undefined;
  const exporter = new OtlpHttpExporter(url, env['OTEL_SERVICE_NAME'] ?? service);
  setSpanExporter(exporter);
  return exporter;
}
