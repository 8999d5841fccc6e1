export * from './lib/config-fields';
export * from './lib/load-config';
export * from './lib/load-config-file';
