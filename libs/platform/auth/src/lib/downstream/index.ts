export * from './downstream-token.options';
export { TokenExchangeError, type ExchangeFailureKind, TOKEN_EXCHANGE_GRANT_TYPE, ACCESS_TOKEN_TYPE } from './token-exchange.client';
export * from './downstream-token.provider';
export * from './authorize-with';
export * from './downstream-token.module';
