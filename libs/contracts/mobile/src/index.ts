export * from './lib/mobile-api';
export type * from './lib/common.dto';
export type * from './lib/order.dto';
export type * from './lib/product.dto';
export type * from './lib/home.dto';
