/**
 * SQS queues and messages (docs/sqs.md). Times are epoch ms.
 *   sqs_queues          one row per queue: attributes and tags as JSON
 *   sqs_deleted_queues  when each name was last deleted (QueueDeletedRecently within 60 s)
 *   sqs_messages        every message not yet deleted; `seq` is its order in the queue
 *   sqs_dedup           FIFO deduplication ids within their 5-minute interval
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const queues: Migration = {
  name: '008-queues',
  async up(db, dialect) {
    await db.schema
      .createTable('sqs_queues')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('name', 'varchar(80)', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('fifo', 'integer', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('modified_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sqs_queues_pk', ['account_id', 'name'])
      .execute();
    await db.schema
      .createTable('sqs_deleted_queues')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('name', 'varchar(80)', (c) => c.notNull())
      .addColumn('deleted_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sqs_deleted_queues_pk', ['account_id', 'name'])
      .execute();
    await db.schema
      .createTable('sqs_messages')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('queue_name', 'varchar(80)', (c) => c.notNull())
      .addColumn('message_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('message_attributes', 'text')
      .addColumn('system_attributes', 'text', (c) => c.notNull())
      .addColumn('md5_body', 'varchar(32)', (c) => c.notNull())
      .addColumn('md5_attributes', 'varchar(32)')
      .addColumn('md5_system', 'varchar(32)')
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .addColumn('visible_at', 'bigint', (c) => c.notNull())
      .addColumn('receive_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_received_at', 'bigint')
      .addColumn('receipt', 'varchar(64)')
      .addColumn('group_id', 'text')
      .addColumn('dedup_id', 'text')
      .execute();
    await db.schema.createIndex('sqs_messages_visible').on('sqs_messages').columns(['account_id', 'queue_name', 'visible_at', 'seq']).execute();
    await db.schema.createIndex('sqs_messages_group').on('sqs_messages').columns(['account_id', 'queue_name', 'group_id', 'seq']).execute();
    await db.schema
      .createTable('sqs_dedup')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('queue_name', 'varchar(80)', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull())
      .addColumn('message_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sqs_dedup_pk', ['account_id', 'queue_name', 'dedup_key'])
      .execute();
  },
};
