import { parseFaultSettings } from './fault-settings';

describe('parseFaultSettings', () => {
  it('fills defaults', () => {
    expect(parseFaultSettings({})).toEqual({ settings: { latencyMs: 0, errorRate: 0, status: 503, mode: null } });
    expect(parseFaultSettings({ latencyMs: 50, errorRate: 0.5, status: 502, mode: 'hang' })).toEqual({
      settings: { latencyMs: 50, errorRate: 0.5, status: 502, mode: 'hang' },
    });
  });

  it('reports every invalid field', () => {
    expect(parseFaultSettings({ latencyMs: -1, errorRate: 2, status: 404, mode: 'explode', extra: true })).toEqual({
      errors: [
        { field: 'extra', detail: 'is not a known field' },
        { field: 'latencyMs', detail: 'must be an integer between 0 and 300000' },
        { field: 'errorRate', detail: 'must be a number between 0 and 1' },
        { field: 'status', detail: 'must be an integer between 500 and 599' },
        { field: 'mode', detail: 'must be one of hang, reset, garbage or null' },
      ],
    });
    expect(parseFaultSettings([1])).toEqual({ errors: [{ field: '(body)', detail: 'must be a JSON object' }] });
    expect(parseFaultSettings({ latencyMs: '5' })).toMatchObject({ errors: [{ field: 'latencyMs' }] });
  });
});
