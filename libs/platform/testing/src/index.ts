export * from './lib/free-port';
export * from './lib/fixed-port';
export * from './lib/spawn-app';
export * from './lib/echo-upstream';
export * from './lib/test-issuer';
export * from './lib/redis-server';
export * from './lib/dev-idp-client';
export * from './lib/web-client';
