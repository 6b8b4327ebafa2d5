/**
 * S3 bucket notification configurations (store/contracts/bucket-notifications.ts; docs/notifications.md).
 *   account_id, bucket  the bucket (account ids are kept although one account owns everything today)
 *   configuration       the rules as JSON
 *   sequence            last event sequence number handed out (the messages' `sequencer`)
 *   updated_at          epoch ms of the last PutBucketNotificationConfiguration
 */
import type { Migration } from './index.ts';

export const bucketNotifications: Migration = {
  name: '010-bucket-notifications',
  async up(db) {
    await db.schema
      .createTable('bucket_notifications')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('bucket', 'varchar(63)', (c) => c.notNull())
      .addColumn('configuration', 'text', (c) => c.notNull())
      .addColumn('sequence', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('bucket_notifications_pk', ['account_id', 'bucket'])
      .execute();
  },
};
