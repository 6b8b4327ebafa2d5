/**
 * EventBridge's durable work (docs/eventbridge-delivery.md). Times are epoch ms.
 *   event_deliveries   target deliveries retried off the matching transaction; claimed with a lease
 *   event_schedules    each scheduled rule's last fire time (exactly once per fire time across nodes)
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const eventDeliveries: Migration = {
  name: '015-event-deliveries',
  async up(db, dialect) {
    await db.schema
      .createTable('event_deliveries')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('rule_arn', 'varchar(600)', (c) => c.notNull())
      .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('target_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('event_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('event_time', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('last_error_code', 'text')
      .addColumn('last_error_message', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('event_deliveries_due').on('event_deliveries').columns(['next_attempt_at', 'id']).execute();

    await db.schema
      .createTable('event_schedules')
      .addColumn('rule_arn', 'varchar(600)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('last_fire_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
