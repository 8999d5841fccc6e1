export * from './lib/api-key';
export * from './lib/api-key.record';
export * from './lib/api-key.repository';
export * from './lib/api-key-store.error';
export * from './lib/file-api-key.repository';
export * from './lib/state-api-key.repository';
export * from './lib/api-key.service';
export * from './lib/create-api-key-repository';
