export * from './lib/state-store';
export * from './lib/gcra';
export * from './lib/memory-state-store';
export * from './lib/redis-state-store';
export * from './lib/create-state-store';
export * from './lib/state.module';
export * from './lib/rate-limit-fields';
