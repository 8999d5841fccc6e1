export * from './lib/domain-views';
