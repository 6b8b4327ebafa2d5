/** BucketNotificationStore over Kysely (store/contracts/bucket-notifications.ts). */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { BucketNotificationConfiguration, BucketNotificationStore } from './types.ts';

export class KyselyBucketNotificationStore implements BucketNotificationStore {
  constructor(private readonly db: Kysely<DB>) {}

  async get(accountId: string, bucket: string): Promise<BucketNotificationConfiguration | undefined> {
    const row = await this.db
      .selectFrom('bucket_notifications')
      .select('configuration')
      .where('account_id', '=', accountId)
      .where('bucket', '=', bucket)
      .executeTakeFirst();
    return row ? (JSON.parse(row.configuration) as BucketNotificationConfiguration) : undefined;
  }

  async put(accountId: string, bucket: string, config: BucketNotificationConfiguration, now: Date): Promise<void> {
    if (!config.rules.length) return this.delete(accountId, bucket);
    const configuration = JSON.stringify(config);
    await this.db
      .insertInto('bucket_notifications')
      .values({ account_id: accountId, bucket, configuration, sequence: 0, updated_at: now.getTime() })
      .onConflict((oc) => oc.columns(['account_id', 'bucket']).doUpdateSet({ configuration, updated_at: now.getTime() }))
      .execute();
  }

  async delete(accountId: string, bucket: string): Promise<void> {
    await this.db.deleteFrom('bucket_notifications').where('account_id', '=', accountId).where('bucket', '=', bucket).execute();
  }

  async nextSequence(accountId: string, bucket: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('bucket_notifications')
      .set((eb) => ({ sequence: eb('sequence', '+', 1) }))
      .where('account_id', '=', accountId)
      .where('bucket', '=', bucket)
      .returning('sequence')
      .executeTakeFirst();
    return row ? Number(row.sequence) : undefined;
  }
}
