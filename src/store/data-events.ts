/** DataEventStore over Kysely: data-event records (S3 object calls), in arrival order. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';
import type { DataEventStore, StoredEvent } from './types.ts';

export class KyselyDataEventStore implements DataEventStore {
  constructor(private readonly db: Kysely<DB> | Transaction<DB>) {}

  async append(events: StoredEvent[]): Promise<number> {
    if (!events.length) return 0;
    await this.db.insertInto('data_events').values(events.map((e) => ({ event_id: e.eventId, event_time: e.eventTime.getTime(), event_name: e.eventName ?? '', record: e.json }))).execute();
    return events.length;
  }

  async list(after: number, limit: number): Promise<{ seq: number; json: string }[]> {
    const rows = await this.db.selectFrom('data_events').select(['seq', 'record']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), json: r.record }));
  }

  async purge(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('data_events').where('event_time', '<', before.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }
}
