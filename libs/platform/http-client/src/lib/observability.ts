/**
 * The one place this lib reaches @edge/observability. The boundary matrix lets a
 * data-access lib depend only on data-access/util/contract libs, and observability is
 * tagged type:feature, although it holds no transport and every outbound client needs its
 * request context, spans and registry. Until it is retagged, the exception lives here only.
 */
// eslint-disable-next-line @nx/enforce-module-boundaries
export {
  currentRequestContext,
  metricsRegistry,
  methodLabel,
  REQUEST_ID_HEADER,
  REQUEST_TIMEOUT_HEADER,
  startSpan,
  statusClass,
  type RequestContext,
  type Span,
} from '@edge/observability';
