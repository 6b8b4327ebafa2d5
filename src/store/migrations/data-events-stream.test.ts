/**
 * Migration 007 on a database made before it: the data events of the old `data_events` table join
 * the record stream after every record already there, marked as data events, out of Event history.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import { KyselyStore } from '../kysely-store.ts';
import { SecretBox } from '../secret-box.ts';
import { MIGRATIONS, migrate } from './index.ts';

const record = (id: string, name: string) => {
  const json = JSON.stringify({ eventID: id, eventTime: '2026-11-20T00:00:00Z', eventName: name, eventSource: 's3.amazonaws.com', awsRegion: 'us-east-1' });
  return storedEvent(JSON.parse(json), json);
};

test('007 moves old data events into the record stream, after the records already stored', async () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  try {
    const before = MIGRATIONS.filter((m) => m.name < '007');
    await migrate(db, 'sqlite', before);
    const m1 = record('m1', 'CreateBucket');
    await db
      .insertInto('events')
      .values({
        event_id: 'm1',
        content_key: 'k1',
        event_time: m1.eventTime.getTime(),
        added_at: m1.eventTime.getTime(),
        imported: 0,
        event_source: m1.eventSource,
        event_name: m1.eventName,
        region: m1.region,
        record: m1.json,
      })
      .execute();
    await db
      .insertInto('data_events')
      .values([
        { event_id: 'd1', event_time: Date.parse('2026-11-20T00:00:01Z'), event_name: 'PutObject', record: '{"eventID":"d1","eventName":"PutObject"}' },
        { event_id: 'd2', event_time: Date.parse('2026-11-20T00:00:02Z'), event_name: 'GetObject', record: '{"eventID":"d2","eventName":"GetObject"}' },
      ])
      .execute();

    await migrate(db, 'sqlite');
    const store = new KyselyStore(db, new SecretBox(randomBytes(32)));
    assert.deepEqual(
      (await store.dataEvents.list(0, 10)).map((d) => d.json),
      ['{"eventID":"d1","eventName":"PutObject"}', '{"eventID":"d2","eventName":"GetObject"}'],
    );
    const stream = await store.trails.readEvents(0, 100, 10);
    assert.deepEqual(
      stream.map((e) => [e.seq, e.eventName, e.data === true]),
      [
        [1, 'CreateBucket', false],
        [2, 'PutObject', true],
        [3, 'GetObject', true],
      ],
    );
    assert.equal(await store.events.count(), 1, 'Event history: the management event only');
    await assert.rejects(db.selectFrom('data_events').selectAll().execute(), /no such table/);
  } finally {
    await db.destroy();
  }
});
