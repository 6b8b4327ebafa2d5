/**
 * SNS (docs/sns.md). Times are epoch ms; attributes and tags are JSON text.
 *   sns_topics          one row per topic (ARN), the attributes the caller set, tags
 *   sns_subscriptions   one row per subscription (ARN), its topic, confirmation state and token
 *   sns_deliveries      the outbox of HTTP/S POSTs, written in the accepting transaction; claimed with a lease
 *   sns_signing_keys    the message-signing key: private half sealed by the store's SecretBox, its certificate
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const topics: Migration = {
  name: '009-topics',
  async up(db, dialect) {
    await db.schema
      .createTable('sns_topics')
      .addColumn('arn', 'varchar(300)', (c) => c.primaryKey())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(256)', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sns_topics_account').on('sns_topics').columns(['account_id', 'region', 'arn']).execute();

    await db.schema
      .createTable('sns_subscriptions')
      .addColumn('arn', 'varchar(400)', (c) => c.primaryKey())
      .addColumn('topic_arn', 'varchar(300)', (c) => c.notNull())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('owner', 'varchar(12)', (c) => c.notNull())
      .addColumn('protocol', 'varchar(20)', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('confirmed', 'integer', (c) => c.notNull())
      .addColumn('token', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sns_subscriptions_topic').on('sns_subscriptions').columns(['topic_arn', 'arn']).execute();
    await db.schema.createIndex('sns_subscriptions_account').on('sns_subscriptions').columns(['account_id', 'region', 'arn']).execute();

    await db.schema
      .createTable('sns_deliveries')
      .addColumn('id', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('subscription_arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('topic_arn', 'varchar(300)', (c) => c.notNull())
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('message_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('message_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('raw', 'integer', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sns_deliveries_due').on('sns_deliveries').columns(['next_attempt_at', 'id']).execute();
    await db.schema.createIndex('sns_deliveries_subscription').on('sns_deliveries').columns(['subscription_arn']).execute();

    await db.schema
      .createTable('sns_signing_keys')
      .addColumn('slot', 'integer', (c) => c.primaryKey())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
