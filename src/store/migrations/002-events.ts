/**
 * Event history: one row per CloudTrail record (exact JSON kept in `record`) with the columns
 * LookupEvents filters on, and one row per referenced resource. Every lookup attribute has an index
 * ending in (event_time, seq) so a filtered, newest-first page is an index range scan.
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const events: Migration = {
  name: '002-events',
  async up(db, dialect) {
    await db.schema.createTable('events')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('region', 'varchar(32)', (c) => c.notNull())
      .addColumn('event_source', 'varchar(128)', (c) => c.notNull())
      .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('read_only', 'integer')
      .addColumn('username', 'varchar(256)')
      .addColumn('access_key_id', 'varchar(128)')
      .addColumn('record', 'text', (c) => c.notNull()).execute();
    await db.schema.createIndex('events_time').on('events').columns(['event_time', 'seq']).execute();
    for (const col of ['event_name', 'event_source', 'read_only', 'username', 'access_key_id']) {
      await db.schema.createIndex(`events_${col}`).on('events').columns([col, 'event_time', 'seq']).execute();
    }
    await db.schema.createTable('event_resources')
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('resource_type', 'varchar(256)')
      .addColumn('resource_name', 'varchar(2048)', (c) => c.notNull()).execute();
    await db.schema.createIndex('event_resources_name').on('event_resources').columns(['resource_name', 'seq']).execute();
    await db.schema.createIndex('event_resources_type').on('event_resources').columns(['resource_type', 'seq']).execute();
    await db.schema.createIndex('event_resources_seq').on('event_resources').column('seq').execute();
  },
};
