/**
 * CloudTrail Lake (docs/lake.md; store/contracts/lake.ts).
 *   lake_stores   event data stores: settings as the API shows them, `start_seq` (the record stream's
 *                 horizon at creation: a store keeps records after it), `deleted_at` (PENDING_DELETION
 *                 since, epoch ms)
 *   lake_events   the records each store keeps, copied by the `lake:stores` record consumer in the
 *                 transaction that advances its cursor; (store_id, seq) is the record's stream position
 *   lake_queries  queries, their state, statistics and results (JSON text, kept 7 days)
 *   lake_imports  StartImport's copies from S3: state, statistics, the last object copied (a restart
 *                 goes on after it); imported records take negative `seq`s in lake_events
 */
import type { Migration } from './index.ts';

export const lake: Migration = {
  name: '021-lake',
  async up(db) {
    await db.schema
      .createTable('lake_stores')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('start_seq', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint')
      .execute();
    await db.schema.createIndex('lake_stores_account').on('lake_stores').columns(['account_id', 'region']).execute();
    await db.schema
      .createTable('lake_events')
      .addColumn('store_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lake_events_pk', ['store_id', 'seq'])
      .execute();
    await db.schema.createIndex('lake_events_time').on('lake_events').columns(['store_id', 'event_time']).execute();
    await db.schema
      .createTable('lake_queries')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('statement', 'text', (c) => c.notNull())
      .addColumn('stores', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('lease_owner', 'varchar(200)')
      .addColumn('lease_until', 'bigint')
      .addColumn('delivery_s3_uri', 'text')
      .addColumn('delivery_status', 'varchar(16)')
      .addColumn('error_message', 'text')
      .addColumn('stats', 'text')
      .addColumn('results', 'text')
      .execute();
    await db.schema
      .createTable('lake_imports')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('destinations', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('start_time', 'bigint')
      .addColumn('end_time', 'bigint')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('stats', 'text', (c) => c.notNull())
      .addColumn('last_key', 'text')
      .addColumn('lease_owner', 'varchar(200)')
      .addColumn('lease_until', 'bigint')
      .execute();
    await db.schema.createIndex('lake_queries_account').on('lake_queries').columns(['account_id', 'status']).execute();
  },
};
