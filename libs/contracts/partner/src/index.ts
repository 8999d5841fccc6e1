export * from './lib/partner-scopes';
export * from './lib/money.dto';
export * from './lib/order.dto';
export * from './lib/product.dto';
export * from './lib/problem.dto';
export * from './lib/operation.dto';
