/**
 * CloudWatch metrics and alarms (store/contracts/metrics.ts; docs/cloudwatch.md). Times are epoch ms.
 *   cw_metrics        one row per metric (account, Region, namespace, name, dimensions key): ListMetrics, RecentlyActive
 *   cw_data           one row per accepted datum: its statistics and, for raw values, the [value, count] pairs as JSON
 *   cw_alarms         one row per metric alarm: the definition as JSON, the state, tags, the state version
 *   cw_alarm_history  the alarm history items (ConfigurationUpdate, StateUpdate, Action)
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const metrics: Migration = {
  name: '017-metrics',
  async up(db, dialect) {
    const double = dialect === 'postgres' ? 'double precision' : 'real';
    await db.schema
      .createTable('cw_metrics')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('namespace', 'varchar(255)', (c) => c.notNull())
      .addColumn('metric_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('dims_key', 'text', (c) => c.notNull())
      .addColumn('last_put_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('cw_metrics_pk', ['account_id', 'region', 'namespace', 'metric_name', 'dims_key'])
      .execute();
    await db.schema
      .createTable('cw_data')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('namespace', 'varchar(255)', (c) => c.notNull())
      .addColumn('metric_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('dims_key', 'text', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('unit', 'varchar(40)', (c) => c.notNull())
      .addColumn('sample_count', double, (c) => c.notNull())
      .addColumn('sum', double, (c) => c.notNull())
      .addColumn('min', double, (c) => c.notNull())
      .addColumn('max', double, (c) => c.notNull())
      .addColumn('vals', 'text')
      .execute();
    await db.schema.createIndex('cw_data_metric_time').on('cw_data').columns(['account_id', 'region', 'namespace', 'metric_name', 'dims_key', 'ts']).execute();
    await db.schema.createIndex('cw_data_time').on('cw_data').columns(['ts']).execute();
    await db.schema
      .createTable('cw_alarms')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(255)', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('actions_enabled', 'integer', (c) => c.notNull())
      .addColumn('state_value', 'varchar(20)', (c) => c.notNull())
      .addColumn('state_reason', 'text', (c) => c.notNull())
      .addColumn('state_reason_data', 'text')
      .addColumn('state_updated_at', 'bigint', (c) => c.notNull())
      .addColumn('state_transitioned_at', 'bigint', (c) => c.notNull())
      .addColumn('config_updated_at', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('cw_alarms_pk', ['account_id', 'region', 'name'])
      .execute();
    await db.schema
      .createTable('cw_alarm_history')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('alarm_name', 'varchar(255)', (c) => c.notNull())
      .addColumn('alarm_type', 'varchar(20)', (c) => c.notNull())
      .addColumn('ts', 'bigint', (c) => c.notNull())
      .addColumn('item_type', 'varchar(30)', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cw_alarm_history_alarm').on('cw_alarm_history').columns(['account_id', 'region', 'alarm_name', 'ts']).execute();
    await db.schema.createIndex('cw_alarm_history_time').on('cw_alarm_history').columns(['account_id', 'region', 'ts']).execute();
  },
};
