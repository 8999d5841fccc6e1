export * from './lib/readiness';
export * from './lib/graceful-shutdown';
export * from './lib/health.routes';
export * from './lib/server-settings';
export * from './lib/client-error';
export * from './lib/create-app';
export * from './lib/release-startup-memory';
