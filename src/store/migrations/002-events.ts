/**
 * Event history (docs/architecture.md#event-history): one row per CloudTrail record (its exact JSON in
 * `record`) with the columns LookupEvents filters on, and one row per referenced resource.
 *
 * Every lookup attribute has an index (attribute, event_time, seq), so a filtered newest-first page
 * is one backward index range scan that stops after MaxResults rows, at any table size; read_only
 * rides along at the end of each, so ReadOnly combined with another attribute (the console's
 * default filter is Read-only = false) is checked in the index, without reading the row. The
 * resource rows repeat event_time for the same reason: a ResourceName/ResourceType lookup walks
 * their index in time order instead of sorting every match; (seq, resource_type) answers "has this
 * event a resource of that type" with one seek. `content_key` (SHA-256 of the record's canonical
 * JSON) makes appends idempotent; `added_at` is what retention counts from.
 * Text columns are `text`, not varchar(n): imported records carry values of any length.
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

const LOOKUP_COLUMNS = ['event_id', 'event_name', 'event_source', 'read_only', 'username', 'access_key_id'];

export const events: Migration = {
  name: '002-events',
  async up(db, dialect) {
    await db.schema
      .createTable('events')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('content_key', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('account_id', 'text')
      .addColumn('region', 'text')
      .addColumn('event_source', 'text')
      .addColumn('event_name', 'text')
      .addColumn('read_only', 'integer')
      .addColumn('username', 'text')
      .addColumn('access_key_id', 'text')
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_time').on('events').columns(['event_time', 'seq', 'read_only']).execute();
    for (const col of LOOKUP_COLUMNS) {
      await db.schema
        .createIndex(`events_${col}`)
        .on('events')
        .columns(col === 'read_only' ? [col, 'event_time', 'seq'] : [col, 'event_time', 'seq', 'read_only'])
        .execute();
    }
    await db.schema.createIndex('events_added_at').on('events').column('added_at').execute();

    await db.schema
      .createTable('event_resources')
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('pos', 'integer', (c) => c.notNull()) // place in the record's resources[], kept in lookups
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('resource_type', 'text')
      .addColumn('resource_name', 'text')
      .execute();
    await db.schema.createIndex('event_resources_name').on('event_resources').columns(['resource_name', 'event_time', 'seq']).execute();
    await db.schema.createIndex('event_resources_type').on('event_resources').columns(['resource_type', 'event_time', 'seq']).execute();
    await db.schema.createIndex('event_resources_seq').on('event_resources').columns(['seq', 'resource_type']).execute();
  },
};
