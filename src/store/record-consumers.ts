/** RecordConsumerStore over Kysely (store/contracts/record-consumers.ts; docs/architecture.md#record-stream). */
import type { Kysely } from 'kysely';
import type { DB, Row } from './schema.ts';
import type { RecordConsumer, RecordConsumerStore } from './types.ts';

const consumer = (r: Pick<Row<'record_consumers'>, 'name' | 'cursor' | 'created_at'>): RecordConsumer => ({
  name: r.name,
  cursor: Number(r.cursor),
  createdAt: new Date(Number(r.created_at)),
});

export class KyselyRecordConsumerStore implements RecordConsumerStore {
  constructor(private readonly db: Kysely<DB>) {}

  async ensure(name: string, startSeq: number, now: Date): Promise<RecordConsumer> {
    await this.db
      .insertInto('record_consumers')
      .values({ name, cursor: startSeq, lease_owner: null, lease_until: null, created_at: now.getTime() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.get(name);
    if (!stored) throw new Error(`record consumer ${name}: not stored`);
    return stored;
  }

  async get(name: string): Promise<RecordConsumer | undefined> {
    const r = await this.db.selectFrom('record_consumers').select(['name', 'cursor', 'created_at']).where('name', '=', name).executeTakeFirst();
    return r ? consumer(r) : undefined;
  }

  async list(prefix?: string): Promise<RecordConsumer[]> {
    let q = this.db.selectFrom('record_consumers').select(['name', 'cursor', 'created_at']);
    // a range rather than LIKE: names may hold `%` or `_`
    if (prefix) q = q.where('name', '>=', prefix).where('name', '<', `${prefix}\u{10ffff}`);
    return (await q.orderBy('name').execute()).map(consumer);
  }

  async claim(name: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('record_consumers')
      .set({ lease_owner: owner, lease_until: until.getTime() })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now.getTime())]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async advance(name: string, from: number, to: number): Promise<boolean> {
    const r = await this.db.updateTable('record_consumers').set({ cursor: to }).where('name', '=', name).where('cursor', '=', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(name: string): Promise<void> {
    await this.db.deleteFrom('record_consumers').where('name', '=', name).execute();
  }

  async lowestCursor(): Promise<number | undefined> {
    const r = await this.db
      .selectFrom('record_consumers')
      .select((eb) => eb.fn.min<number | string | null>('cursor').as('low'))
      .executeTakeFirst();
    return r?.low === null || r?.low === undefined ? undefined : Number(r.low);
  }
}
