import type { CompiledRoute } from '@edge/gateway-config';
import type { Exchange } from '../exchange';
import { addResponseHeader } from '../respond';

/**
 * The route's security headers on every response, errors included (they are exchange-wide
 * headers); HSTS only over TLS, since a browser ignores it on plain HTTP and it must never
 * pin a host that is not served over TLS.
 */
export function securityHeadersStage(route: CompiledRoute): ((exchange: Exchange) => void) | null {
  const policy = route.securityHeaders;
  if (!policy) return null;
  const plain = policy.headers;
  const tls = [...policy.headers, ...policy.tlsHeaders];
  return (exchange) => {
    for (const [name, value] of exchange.tls ? tls : plain) addResponseHeader(exchange, name, value);
  };
}
