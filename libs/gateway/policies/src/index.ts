export * from './lib/exchange';
export * from './lib/policy-engine';
