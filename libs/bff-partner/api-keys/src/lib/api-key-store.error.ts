/** The key store cannot be read or written (file unreadable or malformed, Redis down, lock not obtained). */
export class ApiKeyStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiKeyStoreError';
  }
}
