export * from './lib/idempotency.store';
export * from './lib/idempotency-key';
