export * from './lib/money.dto';
export * from './lib/warning.dto';
export * from './lib/session.dto';
export * from './lib/home.dto';
export * from './lib/checkout.dto';
export * from './lib/web-api';
