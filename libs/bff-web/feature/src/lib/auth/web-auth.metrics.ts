import { Counter } from 'prom-client';
import { metricsRegistry } from '@edge/observability';

export const signIns = new Counter({
  name: 'bff_web_sign_ins_total',
  help: 'Browser sign-ins finished at /web/callback, by result',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const backChannelLogouts = new Counter({
  name: 'bff_web_backchannel_logouts_total',
  help: 'Back-channel logout requests, by result (accepted, or the reason a logout token was refused)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});
