/**
 * The content key starts with the record's event id (docs/performance.md#content-key): its first
 * 12 characters without hyphens when those are lower-case hex digits (as in any UUID), else 12 zeros; then the first 52 hex digits of the SHA-256 of the
 * record's canonical JSON (store/events.ts storedKey). Two copies of one record have the same
 * eventID, so they still share a key and the unique index still skips the second. The eventIDs
 * startrail gives its own records begin with the time in milliseconds (ids.ts eventId), so a new
 * record's key sorts at the end of the index, and the audited call's insert writes to its newest
 * page instead of to a random one (one random page per record in every COMMIT, and at millions of
 * records one read from disk). Existing keys get the same prefix, so a record stored before this
 * migration is still recognised when it is appended again.
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

export const contentKeyOrder: Migration = {
  name: '027-content-key-order',
  async up(db, dialect) {
    // the same text as storedKey. The test is of 12 characters (code points) here and 12 UTF-16 units
    // there, but either is all hex only when the same 12 ASCII characters are.
    const id = sql`substr(replace(event_id, '-', ''), 1, 12)`;
    const hex = dialect === 'sqlite' ? sql`${id} glob ${sql.lit('[0-9a-f]'.repeat(12))}` : sql`${id} ~ '^[0-9a-f]{12}$'`;
    await sql`update events set content_key = (case when ${hex} then ${id} else '000000000000' end) || substr(content_key, 1, 52)`.execute(db);
  },
};
