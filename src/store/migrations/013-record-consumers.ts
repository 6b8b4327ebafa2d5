/**
 * Consumers of the committed record stream other than trails' S3 delivery
 * (store/contracts/record-consumers.ts; docs/architecture.md#record-stream).
 *   name         the consumer (`events:cloudtrail`, `trail-logs:<trail id>`)
 *   cursor       the last sequence consumed
 *   lease_owner  the node delivering it now, until lease_until (epoch ms)
 *   created_at   epoch ms
 */
import type { Migration } from './index.ts';

export const recordConsumers: Migration = {
  name: '013-record-consumers',
  async up(db) {
    await db.schema
      .createTable('record_consumers')
      .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('cursor', 'bigint', (c) => c.notNull())
      .addColumn('lease_owner', 'varchar(200)')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
