export * from './lib/oidc-client.options';
export * from './lib/oidc-client';
export * from './lib/logout-token.verifier';
