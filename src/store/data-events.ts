/**
 * DataEventStore over Kysely: data-event records (S3 object calls) as stored in the one record
 * stream (`events` with data = 1, migrations/007): appended with management events by
 * EventStore.append, delivered by trails that select them, purged with them after 90 days.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';
import type { DataEventStore } from './types.ts';

export class KyselyDataEventStore implements DataEventStore {
  constructor(private readonly db: Kysely<DB> | Transaction<DB>) {}

  async list(after: number, limit: number): Promise<{ seq: number; json: string }[]> {
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'record'])
      .where('data', '=', 1)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), json: r.record }));
  }
}
