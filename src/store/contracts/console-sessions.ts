/** Web console session contracts: store/console-sessions.ts implements them. */
/**
 * A web console sign-in session (console/sessions.ts) as stored, shared by every node on the database.
 * Times are epoch milliseconds. The cookie's session id is never stored: the key is its SHA-256 (hex).
 */
export interface ConsoleSessionRecord {
  idHash: string;
  /** the session's CSRF token (a secret: backends seal it) */
  csrf: string;
  /** the STS session credentials the console acts with (secret key and token: backends seal them) */
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  identity: { arn: string; accountId: string; userId: string; type: string; userName: string };
  createdAt: number;
  /** absolute end */
  expiresAt: number;
  /** the idle clock's start; written at most about once a minute (see console/sessions.ts) */
  lastSeenAt: number;
}

/** Persistence of console sessions; the expiry rules live in console/sessions.ts. */
export interface ConsoleSessionStore {
  /** Stores a new session; an idHash already stored is an error. */
  put(s: ConsoleSessionRecord): Promise<void>;
  get(idHash: string): Promise<ConsoleSessionRecord | undefined>;
  /** Moves lastSeenAt forward to `at`; never back (nodes may write out of order). */
  touch(idHash: string, at: number): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Deletes at most `limit` sessions ended at `now`: expiresAt <= now, or lastSeenAt <= idleSince. Returns how many. */
  deleteEnded(now: number, idleSince: number, limit: number): Promise<number>;
  count(): Promise<number>;
  /** Deletes the `n` sessions created first. Returns how many. */
  deleteOldest(n: number): Promise<number>;
}
