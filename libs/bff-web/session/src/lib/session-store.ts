import type { StateStore } from '@edge/state';
import type { SessionCipher } from './session-cipher';
import { indexDigest, isWellFormedSessionId, newSessionId, sessionHandle } from './session-id';
import { sessionEvents } from './session.metrics';
import { idleExpiresAt, isExpired, type SessionLifetimes, type SessionTokens, type SessionUser, type WebSession } from './web-session';

export interface SessionStoreOptions {
  lifetimes: SessionLifetimes;
  /**
   * How long one writer may hold a session's lease (token refresh, activity update).
   * Every write of a record happens under it, so concurrent instances never lose each
   * other's updates (a lost refresh token would end the session at the next refresh).
   */
  leaseMs: number;
  /** Activity is recorded at most this often per session (default min(60 s, idle / 10)). */
  touchIntervalMs?: number;
  now?: () => number;
}

/** A session found by its cookie value. `handle` is its key in the store, never the id. */
export interface LoadedSession {
  readonly handle: string;
  readonly session: WebSession;
}

export type SessionEndReason = 'logout' | 'back-channel-logout' | 'refresh-failed' | 'expired' | 'replaced';

const recordKey = (handle: string) => `session:${handle}`;
const endedKey = (handle: string) => `session-ended:${handle}`;
const bySidKey = (sid: string) => `sessions-by-sid:${indexDigest('sid', sid)}`;
const bySubKey = (sub: string) => `sessions-by-sub:${indexDigest('sub', sub)}`;

/**
 * Server-side browser sessions on the state port (memory for one instance, Redis for many).
 * Records are sealed with AES-256-GCM under their own key (a dump of the store reveals
 * neither tokens nor the cookie value: keys are digests of the session id). Each record's
 * TTL is its idle end, capped by its absolute end, so expired sessions disappear from the
 * store by themselves; a session found expired on read is deleted at once.
 *
 * Writes other than creation happen under the session's lease. Ending a session leaves a
 * short tombstone that a writer checks after writing, so a refresh finishing on another
 * instance cannot bring back a session that was just logged out.
 */
export class SessionStore {
  readonly lifetimes: SessionLifetimes;
  private readonly leaseMs: number;
  private readonly touchIntervalMs: number;
  private readonly tombstoneMs: number;
  private readonly now: () => number;

  constructor(
    private readonly state: StateStore,
    private readonly cipher: SessionCipher,
    options: SessionStoreOptions,
  ) {
    this.lifetimes = Object.freeze({ ...options.lifetimes });
    this.leaseMs = options.leaseMs;
    this.touchIntervalMs = options.touchIntervalMs ?? Math.min(60_000, Math.floor(options.lifetimes.idleMs / 10));
    this.tombstoneMs = Math.max(60_000, 3 * options.leaseMs);
    this.now = options.now ?? Date.now;
  }

  /** A new session with a fresh random id (the only place ids are made: rotation at every sign-in). */
  async create(user: SessionUser, tokens: SessionTokens): Promise<{ id: string; handle: string; session: WebSession }> {
    const now = this.now();
    const id = newSessionId();
    const handle = sessionHandle(id);
    const session: WebSession = { user, tokens, createdAt: now, absoluteExpiresAt: now + this.lifetimes.absoluteMs, lastSeenAt: now, generation: 0 };
    await this.state.set(recordKey(handle), this.seal(handle, session), this.ttlOf(session, now));
    // Indexes for back-channel logout (which names an IdP session or a subject).
    if (user.sid) await this.state.addToSet(bySidKey(user.sid), handle, this.lifetimes.absoluteMs);
    await this.state.addToSet(bySubKey(user.sub), handle, this.lifetimes.absoluteMs);
    sessionEvents.inc({ event: 'created' });
    return { id, handle, session };
  }

  /** The live session for a cookie value, or undefined (malformed, unknown, ended or expired). */
  async load(sessionId: string | undefined): Promise<LoadedSession | undefined> {
    if (!isWellFormedSessionId(sessionId)) return undefined;
    const handle = sessionHandle(sessionId);
    const session = await this.read(handle);
    return session ? { handle, session } : undefined;
  }

  /** The live record under a handle (expired ones are removed on sight). */
  async read(handle: string): Promise<WebSession | undefined> {
    const sealed = await this.state.get(recordKey(handle));
    if (sealed === undefined) return undefined;
    const plain = this.cipher.open(sealed, recordKey(handle));
    if (plain === undefined) {
      // Unreadable: sealed with a retired key, or not ours. Either way it cannot be used.
      await this.state.delete(recordKey(handle));
      return undefined;
    }
    const session = JSON.parse(plain) as WebSession;
    if (isExpired(session, this.lifetimes, this.now())) {
      await this.remove(handle, session, 'expired');
      return undefined;
    }
    return session;
  }

  /**
   * Replaces a record; only call while holding the session's lease. Returns false when the
   * session ended meanwhile (the write is undone) or has expired.
   */
  async write(handle: string, session: WebSession): Promise<boolean> {
    const now = this.now();
    const ttl = this.ttlOf(session, now);
    if (ttl <= 0) {
      await this.remove(handle, session, 'expired');
      return false;
    }
    await this.state.set(recordKey(handle), this.seal(handle, session), ttl);
    // Ending sets the tombstone before deleting; checking it after writing closes the race.
    if ((await this.state.get(endedKey(handle))) !== undefined) {
      await this.state.delete(recordKey(handle));
      return false;
    }
    return true;
  }

  acquireLease(handle: string, ttlMs = this.leaseMs): Promise<string | undefined> {
    return this.state.acquireLock(recordKey(handle), ttlMs);
  }

  releaseLease(handle: string, token: string): Promise<void> {
    return this.state.releaseLock(recordKey(handle), token);
  }

  /**
   * Records activity (sliding idle lifetime), at most once per touch interval. Best effort:
   * when another writer holds the lease (a refresh), this request's activity is skipped —
   * the next one records it.
   */
  async touch(loaded: LoadedSession): Promise<WebSession> {
    const now = this.now();
    if (now - loaded.session.lastSeenAt < this.touchIntervalMs) return loaded.session;
    const lease = await this.acquireLease(loaded.handle);
    if (lease === undefined) return loaded.session;
    try {
      const current = await this.read(loaded.handle);
      if (!current) return loaded.session;
      const touched: WebSession = { ...current, lastSeenAt: now };
      return (await this.write(loaded.handle, touched)) ? touched : loaded.session;
    } finally {
      await this.releaseLease(loaded.handle, lease);
    }
  }

  /** Ends one session (logout, failed refresh, replaced at sign-in). */
  async end(handle: string, reason: SessionEndReason): Promise<void> {
    await this.state.set(endedKey(handle), reason, this.tombstoneMs);
    await this.state.delete(recordKey(handle));
    sessionEvents.inc({ event: `ended:${reason}` });
  }

  /** Ends every session of an IdP session (`sid`) — or, without one, of a subject. Returns how many were live. */
  async endAllOf(target: { sid?: string; sub?: string }, reason: SessionEndReason): Promise<number> {
    const indexKey = target.sid ? bySidKey(target.sid) : target.sub ? bySubKey(target.sub) : undefined;
    if (!indexKey) return 0;
    const handles = await this.state.setMembers(indexKey);
    let ended = 0;
    for (const handle of handles) {
      const session = await this.read(handle);
      // With both claims, a sid match must also be the same subject (a logout token names one user).
      if (session && target.sid && target.sub && session.user.sub !== target.sub) continue;
      if (session) ended++;
      await this.end(handle, reason);
    }
    if (target.sid) await this.state.delete(indexKey);
    return ended;
  }

  /** When this session ends if idle (for GET /web/session). */
  idleEndOf(session: WebSession): number {
    return idleExpiresAt(session, this.lifetimes);
  }

  private async remove(handle: string, _session: WebSession, reason: SessionEndReason): Promise<void> {
    await this.state.delete(recordKey(handle));
    sessionEvents.inc({ event: `ended:${reason}` });
  }

  private ttlOf(session: WebSession, now: number): number {
    return idleExpiresAt(session, this.lifetimes) - now;
  }

  private seal(handle: string, session: WebSession): string {
    return this.cipher.seal(JSON.stringify(session), recordKey(handle));
  }
}
