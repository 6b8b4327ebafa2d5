/**
 * CloudWatch Logs (docs/logs.md#storage). Times are epoch ms.
 *   logs_groups            one row per log group, keyed by (account, Region, name); `id` names it
 *                          in the other tables, so a 512-character name is not repeated per event
 *   logs_streams           one row per stream of a group; `last_sort` is the last event time or 0,
 *                          indexed with the name for DescribeLogStreams' LastEventTime order
 *   logs_events            every event kept: indexed by (stream, time, seq) for GetLogEvents and
 *                          (group, time, seq) for FilterLogEvents and the retention purge
 *   logs_metric_filters    a group's metric filters, by (account, Region, group name, filter name)
 *   logs_resource_policies account-level resource policies, by (account, Region, name)
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const logs: Migration = {
  name: '016-logs',
  async up(db, dialect) {
    await db.schema
      .createTable('logs_groups')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(32)', (c) => c.notNull())
      .addColumn('name', 'varchar(512)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('retention_days', 'integer')
      .addColumn('kms_key_id', 'text')
      .addColumn('class', 'varchar(32)', (c) => c.notNull())
      .addColumn('deletion_protection', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('stored_bytes', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('logs_groups_name', ['account_id', 'region', 'name'])
      .execute();
    await db.schema
      .createTable('logs_streams')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('group_id', 'bigint', (c) => c.notNull())
      .addColumn('name', 'varchar(512)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('first_event', 'bigint')
      .addColumn('last_event', 'bigint')
      .addColumn('last_sort', 'bigint', (c) => c.notNull())
      .addColumn('last_ingestion', 'bigint')
      .addColumn('uploads', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('logs_streams_name', ['group_id', 'name'])
      .execute();
    await db.schema.createIndex('logs_streams_last').on('logs_streams').columns(['group_id', 'last_sort', 'name']).execute();
    await db.schema
      .createTable('logs_events')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('group_id', 'bigint', (c) => c.notNull())
      .addColumn('stream_id', 'bigint', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('ingested_at', 'bigint', (c) => c.notNull())
      .addColumn('bytes', 'integer', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('logs_events_stream').on('logs_events').columns(['stream_id', 'ts', 'seq']).execute();
    await db.schema.createIndex('logs_events_group').on('logs_events').columns(['group_id', 'ts', 'seq']).execute();
    await db.schema
      .createTable('logs_metric_filters')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(32)', (c) => c.notNull())
      .addColumn('group_name', 'varchar(512)', (c) => c.notNull())
      .addColumn('name', 'varchar(512)', (c) => c.notNull())
      .addColumn('pattern', 'text', (c) => c.notNull())
      .addColumn('transformations', 'text', (c) => c.notNull())
      .addColumn('extra', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('logs_metric_filters_pk', ['account_id', 'region', 'group_name', 'name'])
      .execute();
    await db.schema
      .createTable('logs_resource_policies')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(32)', (c) => c.notNull())
      .addColumn('name', 'varchar(256)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('logs_resource_policies_pk', ['account_id', 'region', 'name'])
      .execute();
  },
};
