/**
 * Trails and their delivery state (docs/architecture.md#delivery, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html, https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery). Times are epoch ms.
 *   trails            settings (selectors and tags as JSON) + GetTrailStatus fields + delivery lease
 *   trail_sessions    one per StartLogging: cursor over events.seq, the planned batch (JSON), the stop
 *   trail_chains      head of each (session, region) digest chain: next period start, previous digest
 *   trail_log_files   delivered files waiting for their digest
 *   signing_keys      per-region RSA keys; the private key sealed by the store's SecretBox
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const trails: Migration = {
  name: '004-trails',
  async up(db, dialect) {
    const seq = (name: string) =>
      db.schema.createTable(name).addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)));

    await seq('trails')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('home_region', 'text', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .execute();
    await db.schema.createIndex('trails_name').on('trails').columns(['name', 'home_region']).execute();

    await seq('trail_sessions')
      .addColumn('trail_id', 'bigint', (c) => c.notNull())
      .addColumn('start_seq', 'bigint', (c) => c.notNull())
      .addColumn('cursor', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('stop', 'text')
      .addColumn('batch', 'text')
      .execute();
    await db.schema.createIndex('trail_sessions_trail').on('trail_sessions').columns(['trail_id', 'id']).execute();

    await db.schema
      .createTable('trail_chains')
      .addColumn('session_id', 'bigint', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('previous', 'text')
      .addPrimaryKeyConstraint('trail_chains_pk', ['session_id', 'region'])
      .execute();

    await seq('trail_log_files')
      .addColumn('session_id', 'bigint', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('bucket', 'text', (c) => c.notNull())
      .addColumn('object_key', 'text', (c) => c.notNull())
      .addColumn('hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('oldest_event_time', 'bigint', (c) => c.notNull())
      .addColumn('newest_event_time', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('trail_log_files_session').on('trail_log_files').columns(['session_id', 'region', 'delivered_at']).execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('fingerprint', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'bigint', (c) => c.notNull())
      .addColumn('valid_to', 'bigint')
      .execute();
    await db.schema.createIndex('signing_keys_region').on('signing_keys').columns(['region', 'valid_from']).execute();
  },
};
