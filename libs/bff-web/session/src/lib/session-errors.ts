/** Thrown by a refresh function when the IdP refused the grant for good (revoked, expired, session ended at the IdP). */
export class RefreshRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefreshRejectedError';
  }
}

/** The session is gone (ended elsewhere, or its refresh was refused): the browser must sign in again. */
export class SessionEndedError extends Error {
  constructor(readonly reason: 'ended' | 'refresh-failed' | 'no-refresh-token') {
    super(`session ended (${reason})`);
    this.name = 'SessionEndedError';
  }
}

/** Tokens expired and could not be refreshed now (IdP unreachable, or another instance's refresh took too long). */
export class RefreshUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RefreshUnavailableError';
  }
}
