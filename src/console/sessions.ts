/**
 * Console sessions: a random id (the HttpOnly cookie's value) → the STS session credentials obtained
 * at sign-in, the identity, a per-session CSRF token and two expiries (idle, and absolute = the
 * credentials' own, less a minute). The browser never sees a secret.
 *
 * They live in the Store (store.consoleSessions), so every node on the database knows every session
 * and a restart keeps them. At rest the id is only its SHA-256, and the store seals the credentials
 * and the CSRF token: a database reader can neither present the cookie nor act as the person.
 *
 * Idle expiry is accurate to a minute: touch() writes the idle clock's start (lastSeenAt) only when
 * it is more than LAST_SEEN_RESOLUTION_MS old, so a session in steady use costs one read per request
 * and one write a minute, and may end up to that much before idleMs after its last use.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleSessionStore } from '../store/types.ts';
import type { ConsoleCredentials } from './client.ts';

export interface ConsoleIdentity {
  arn: string;
  accountId: string;
  userId: string;
  type: 'Root' | 'IAMUser' | string;
  userName: string;
}

export interface ConsoleSession {
  id: string;
  csrf: string;
  credentials: ConsoleCredentials;
  identity: ConsoleIdentity;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

const COOKIE = 'startrail_console';

export interface SessionLimits {
  idleMs: number;
  maxMs: number;
  maxSessions: number;
}

export const DEFAULT_LIMITS: SessionLimits = { idleMs: 60 * 60_000, maxMs: 12 * 3600_000, maxSessions: 10_000 };

/** touch() writes lastSeenAt only when the stored one is older than this. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Ended sessions the sweep on create deletes per statement. */
const SWEEP_BATCH = 500;

const token = () => randomBytes(32).toString('base64url');

/** What a session id looks like (32 random bytes, base64url): anything else is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** The key a session is stored under: the SHA-256 (hex) of its id. */
export const sessionIdHash = (id: string) => createHash('sha256').update(id).digest('hex');

export class SessionStore {
  constructor(
    private readonly store: ConsoleSessionStore,
    private readonly limits: SessionLimits = DEFAULT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; ended ones are swept first, and at maxSessions the oldest give way. */
  async create(credentials: ConsoleCredentials, identity: ConsoleIdentity, credentialsExpireAt: number): Promise<ConsoleSession> {
    await this.sweep();
    const excess = (await this.store.count()) - this.limits.maxSessions + 1;
    if (excess > 0) await this.store.deleteOldest(excess);
    const now = this.now();
    const s: ConsoleSession = {
      id: token(),
      csrf: token(),
      credentials,
      identity,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: Math.min(now + this.limits.maxMs, credentialsExpireAt - 60_000),
    };
    const { id, ...stored } = s;
    await this.store.put({ ...stored, idHash: sessionIdHash(id) });
    return s;
  }

  /**
   * The live session for a cookie value, its idle clock restarted (to the minute: see the header);
   * undefined when unknown or ended (an ended session is deleted).
   */
  async touch(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const r = await this.store.get(sessionIdHash(id));
    if (!r) return undefined;
    const now = this.now();
    if (this.ended(r, now)) {
      await this.store.delete(r.idHash);
      return undefined;
    }
    let lastSeenAt = r.lastSeenAt;
    if (now - lastSeenAt > LAST_SEEN_RESOLUTION_MS) {
      await this.store.touch(r.idHash, now);
      lastSeenAt = now;
    }
    return { id, csrf: r.csrf, credentials: r.credentials, identity: r.identity, createdAt: r.createdAt, expiresAt: r.expiresAt, lastSeenAt };
  }

  async delete(id: string | undefined): Promise<void> {
    if (id) await this.store.delete(sessionIdHash(id));
  }

  /** When the session ends if the person stays active (absolute) and if idle. */
  endsAt(s: ConsoleSession): { expiresAt: number; idleExpiresAt: number } {
    return { expiresAt: s.expiresAt, idleExpiresAt: Math.min(s.expiresAt, s.lastSeenAt + this.limits.idleMs) };
  }

  private ended(r: { expiresAt: number; lastSeenAt: number }, now: number): boolean {
    return now >= r.expiresAt || now - r.lastSeenAt >= this.limits.idleMs;
  }

  /** Deletes every ended session, a batch per statement. */
  private async sweep(): Promise<void> {
    const now = this.now();
    while ((await this.store.deleteEnded(now, now - this.limits.idleMs, SWEEP_BATCH)) >= SWEEP_BATCH) {
      /* next batch */
    }
  }
}

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfMatches(s: ConsoleSession, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(s.csrf);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(header: string | undefined, name = COOKIE): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(s: ConsoleSession | undefined, now = Date.now()): string {
  const base = `${COOKIE}=${s ? s.id : ''}; Path=/console; HttpOnly; SameSite=Strict`;
  return s ? `${base}; Max-Age=${Math.max(0, Math.floor((s.expiresAt - now) / 1000))}` : `${base}; Max-Age=0`;
}
