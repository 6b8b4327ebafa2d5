/**
 * The content key starts with the record's eventTime (docs/performance.md#content-key): 12 hex
 * digits of the time in milliseconds, then the first 52 hex digits of the SHA-256 of the record's
 * canonical JSON (store/events.ts storedKey). Two copies of one record have the same eventTime, so
 * they still share a key and the unique index still skips the second; but a new record's key now
 * sorts beside the keys of records of the same moment, so the audited call's insert writes to the
 * index's newest page instead of to a random one (one random page per record in every COMMIT, and
 * at millions of records one read from disk). Existing keys get the same prefix, so a record stored
 * before this migration is still recognised when it is appended again.
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

export const contentKeyTime: Migration = {
  name: '027-content-key-time',
  async up(db, dialect) {
    // the same text as storedKey: times before 1970 count as 0; lower-case hex, zero-padded to 12 digits
    const prefix = dialect === 'sqlite' ? sql`printf('%012x', max(event_time, 0))` : sql`lpad(to_hex(greatest(event_time, 0)), 12, '0')`;
    await sql`update events set content_key = ${prefix} || substr(content_key, 1, 52)`.execute(db);
  },
};
