export * from './lib/partner-scopes';
