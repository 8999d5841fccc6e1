import { metricsRegistry } from '@edge/observability';
import { interactionRoute } from './interactions';
import { recordTokenRequest, tokenErrors, tokenRequests } from './metrics';

describe('token endpoint metrics', () => {
  beforeEach(() => {
    tokenRequests.reset();
    tokenErrors.reset();
  });

  it('counts by grant type and client, errors by code', async () => {
    recordTokenRequest('refresh_token', 'bff-web', undefined);
    recordTokenRequest('refresh_token', 'bff-web', 'invalid_grant');
    const text = await metricsRegistry.getSingleMetricAsString('dev_idp_token_requests_total');
    expect(text).toMatch(/dev_idp_token_requests_total\{grant_type="refresh_token",client_id="bff-web"[^}]*\} 2/);
    const errors = await metricsRegistry.getSingleMetricAsString('dev_idp_token_errors_total');
    expect(errors).toMatch(/error="invalid_grant"[^}]*\} 1/);
  });

  it('keeps labels bounded whatever the client sends', async () => {
    recordTokenRequest('urn:made-up:grant', undefined, 'x'.repeat(100));
    recordTokenRequest(undefined, undefined, undefined);
    const text = await metricsRegistry.getSingleMetricAsString('dev_idp_token_requests_total');
    expect(text).toContain('grant_type="other",client_id="unauthenticated"');
    expect(text).toContain('grant_type="none",client_id="unauthenticated"');
    expect(await metricsRegistry.getSingleMetricAsString('dev_idp_token_errors_total')).toContain('error="other"');
  });
});

describe('interaction routes', () => {
  it('maps the interaction pages to templates by method', () => {
    expect(interactionRoute('GET', '/interaction/AbC-12_x')).toBe('/interaction/:uid');
    expect(interactionRoute('POST', '/interaction/AbC/login')).toBe('/interaction/:uid/login');
    expect(interactionRoute('GET', '/interaction/AbC/abort')).toBe('/interaction/:uid/abort');
    expect(interactionRoute('POST', '/interaction/AbC')).toBeUndefined();
    expect(interactionRoute('GET', '/interaction/AbC/login')).toBeUndefined();
    expect(interactionRoute('GET', '/interaction/a/b/c')).toBeUndefined();
    expect(interactionRoute('GET', '/auth')).toBeUndefined();
  });
});
