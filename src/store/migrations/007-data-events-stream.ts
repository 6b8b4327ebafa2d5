/**
 * Data events join the one record stream (docs/architecture.md#delivery): a trail whose selectors ask
 * for S3 data events delivers them, in the same sequence, cursors, plans and commit horizon as
 * management events, so exactly-once delivery and retention hold for both without a second set of
 * each. `events.data` = 1 marks a data event: recorded and delivered, never shown by LookupEvents
 * (Event history holds management events only). Rows of the old `data_events` table move over,
 * after every record already stored.
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

export const dataEventsStream: Migration = {
  name: '007-data-events-stream',
  async up(db, dialect) {
    await db.schema
      .alterTable('events')
      .addColumn('data', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    // content_key only has to be unique for these: their eventIDs are this server's own UUIDs
    await sql`insert into events (event_id, content_key, event_time, added_at, imported, event_name, record, data)
      select event_id, 'data:' || event_id || ':' || cast(seq as text), event_time, event_time, 0, event_name, record, 1
      from data_events order by seq`.execute(db);
    await db.schema.dropTable('data_events').execute();
    // Every Event history query filters on the new column: without statistics for it PostgreSQL
    // guesses it rare and, at 10M records, sorts thousands of rows instead of walking an index
    // (0.4 ms → 326 ms for one Username page). ANALYZE samples; seconds at tens of millions.
    if (dialect === 'postgres') await sql`analyze events`.execute(db);
  },
};
