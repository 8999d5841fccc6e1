export * from './lib/exchange';
