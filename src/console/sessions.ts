/**
 * Console sessions, held in this process only: a random id (the HttpOnly cookie's value) → the STS
 * session credentials obtained at sign-in, the identity, a per-session CSRF token and two expiries
 * (idle, and absolute = the credentials' own). The browser never sees a secret. A restart signs
 * everyone out, which is the safe failure.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleCredentials } from './client.ts';

export interface ConsoleIdentity { arn: string; accountId: string; userId: string; type: 'Root' | 'IAMUser' | string; userName: string }

export interface ConsoleSession {
  id: string;
  csrf: string;
  credentials: ConsoleCredentials;
  identity: ConsoleIdentity;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

export const COOKIE = 'startrail_console';

export interface SessionLimits { idleMs: number; maxMs: number; maxSessions: number }

export const DEFAULT_LIMITS: SessionLimits = { idleMs: 60 * 60_000, maxMs: 12 * 3600_000, maxSessions: 10_000 };

const token = () => randomBytes(32).toString('base64url');

export class SessionStore {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly limits: SessionLimits = DEFAULT_LIMITS, private readonly now: () => number = Date.now) {}

  create(credentials: ConsoleCredentials, identity: ConsoleIdentity, credentialsExpireAt: number): ConsoleSession {
    this.sweep();
    while (this.sessions.size >= this.limits.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    const now = this.now();
    const s: ConsoleSession = {
      id: token(), csrf: token(), credentials, identity, createdAt: now, lastSeenAt: now,
      expiresAt: Math.min(now + this.limits.maxMs, credentialsExpireAt - 60_000),
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** The live session for a cookie value, its idle clock restarted; undefined when unknown or expired (then forgotten). */
  touch(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const now = this.now();
    if (now >= s.expiresAt || now - s.lastSeenAt >= this.limits.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    s.lastSeenAt = now;
    return s;
  }

  delete(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** When the session ends if the person stays active (absolute) and if idle. */
  endsAt(s: ConsoleSession): { expiresAt: number; idleExpiresAt: number } {
    return { expiresAt: s.expiresAt, idleExpiresAt: Math.min(s.expiresAt, s.lastSeenAt + this.limits.idleMs) };
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) if (now >= s.expiresAt || now - s.lastSeenAt >= this.limits.idleMs) this.sessions.delete(id);
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
