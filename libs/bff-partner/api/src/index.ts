export * from './lib/settings/partner-settings';
export * from './lib/settings/partner-settings.token';
export * from './lib/auth/partner-caller';
export * from './lib/partner-api.module';
export * from './lib/configure-partner-api';
export * from './lib/contract/published-schema';
export * from './lib/representations/money';
