/**
 * Data events (S3 object operations): recorded like every call, but kept apart from Event history,
 * which AWS fills with management events only (docs/architecture.md#event-history).
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const dataEvents: Migration = {
  name: '005-data-events',
  async up(db, dialect) {
    await db.schema
      .createTable('data_events')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('data_events_time').on('data_events').columns(['event_time', 'seq']).execute();
  },
};
