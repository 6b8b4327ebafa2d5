/** EventStore over Kysely: appends CloudTrail records with their lookup columns and resource rows. */
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { EventStore, StoredEvent } from './types.ts';

export class KyselyEventStore implements EventStore {
  constructor(private readonly db: Kysely<DB>) {}

  async append(events: StoredEvent[]): Promise<number> {
    let added = 0;
    for (const e of events) {
      const r = await this.db.insertInto('events').values({
        event_id: e.eventId, event_time: e.eventTime.getTime(), account_id: e.accountId, region: e.region,
        event_source: e.eventSource, event_name: e.eventName, read_only: e.readOnly === null ? null : e.readOnly ? 1 : 0,
        username: e.username, access_key_id: e.accessKeyId, record: e.json,
      }).onConflict((oc) => oc.column('event_id').doNothing()).returning('seq').executeTakeFirst();
      if (!r) continue;
      added++;
      if (e.resources.length) {
        await this.db.insertInto('event_resources').values(e.resources.map((x) => ({ seq: Number(r.seq), resource_type: x.type, resource_name: x.name }))).execute();
      }
    }
    return added;
  }

  async get(eventId: string): Promise<StoredEvent | undefined> {
    const r = await this.db.selectFrom('events').selectAll().where('event_id', '=', eventId).executeTakeFirst();
    if (!r) return undefined;
    const res = await this.db.selectFrom('event_resources').select(['resource_type', 'resource_name']).where('seq', '=', r.seq).execute();
    return {
      eventId: r.event_id, eventTime: new Date(Number(r.event_time)), accountId: r.account_id, region: r.region, eventSource: r.event_source,
      eventName: r.event_name, readOnly: r.read_only === null ? null : r.read_only === 1, username: r.username, accessKeyId: r.access_key_id,
      resources: res.map((x) => ({ type: x.resource_type, name: x.resource_name })), json: r.record,
    };
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
