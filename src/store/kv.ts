/** KvStore over Kysely. */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { KvStore } from './types.ts';

export class KyselyKvStore implements KvStore {
  constructor(private readonly db: Kysely<DB>) {}
  async get(key: string): Promise<string | undefined> {
    return (await this.db.selectFrom('kv').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }
  async put(key: string, value: string): Promise<void> {
    await this.db
      .insertInto('kv')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
  }
  async swap(key: string, expected: string | undefined, value: string): Promise<boolean> {
    if (expected === undefined) {
      const r = await this.db
        .insertInto('kv')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    }
    const r = await this.db.updateTable('kv').set({ value }).where('key', '=', key).where('value', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
