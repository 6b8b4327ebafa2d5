/**
 * Migration 027 on a database made before it, on both backends: every stored key gets its record's
 * eventTime in front (store/events.ts storedKey), so a record stored before the migration is still
 * recognised when it is appended (imported) again, and new keys sort by time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import { parsedContentKey, storedKey } from '../events.ts';
import { KyselyStore } from '../kysely-store.ts';
import { dropSchema } from '../postgres/open.ts';
import { SecretBox } from '../secret-box.ts';
import { BACKENDS, TEST_DATABASE_URL, testSchema, type Backend } from '../testing.ts';
import { MIGRATIONS, migrate } from './index.ts';

const record = (id: string, time: string) => {
  const json = JSON.stringify({ eventID: id, eventTime: time, eventName: 'GetUser', eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1' });
  return storedEvent(JSON.parse(json), json);
};

async function openDb(backend: Backend): Promise<{ db: Kysely<any>; close: () => Promise<void> }> {
  if (backend === 'sqlite') {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    return { db, close: () => db.destroy() };
  }
  const schema = testSchema('migration027');
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2, options: `-c search_path=${schema}` }) }),
  });
  return {
    db,
    close: async () => {
      await db.destroy();
      await dropSchema(TEST_DATABASE_URL, schema);
    },
  };
}

for (const backend of BACKENDS) {
  test(`027 (${backend}): stored keys get the eventTime in front; a record stored before is not added again`, async () => {
    const { db, close } = await openDb(backend);
    try {
      await migrate(
        db,
        backend,
        MIGRATIONS.filter((m) => m.name < '027'),
      );
      // as the code before 027 stored them: the bare SHA-256, and a data event's key of migration 007
      const old = record('old', '2026-11-20T10:00:00.123Z');
      const before1970 = record('early', '1969-12-31T23:59:59Z');
      const key = parsedContentKey(JSON.parse(old.json));
      const row = (e: typeof old, contentKey: string) => ({
        event_id: e.eventId,
        content_key: contentKey,
        event_time: e.eventTime.getTime(),
        added_at: e.eventTime.getTime(),
        imported: 1,
        account_id: '000000000000',
        region: e.region,
        event_source: e.eventSource,
        event_name: e.eventName,
        record: e.json,
        data: 0,
      });
      await db
        .insertInto('events')
        .values([row(old, key), row(before1970, parsedContentKey(JSON.parse(before1970.json))), { ...row(old, 'data:d1:7'), event_id: 'd1', data: 1 }])
        .execute();

      await migrate(db, backend);
      const keys = (await db.selectFrom('events').select(['event_id', 'content_key']).orderBy('seq').execute()).map((r) => [r.event_id, r.content_key]);
      assert.deepEqual(keys, [
        ['old', `01a1f8660d7b${key.slice(0, 52)}`],
        ['early', `000000000000${parsedContentKey(JSON.parse(before1970.json)).slice(0, 52)}`],
        ['d1', '01a1f8660d7bdata:d1:7'],
      ]);
      assert.equal(storedKey(old.eventTime.getTime(), key), keys[0]![1], "the migration's key is storedKey's");
      assert.equal(Date.parse('2026-11-20T10:00:00.123Z').toString(16).padStart(12, '0'), '01a1f8660d7b');

      const store = new KyselyStore(db, new SecretBox(randomBytes(32)));
      assert.equal(await store.events.append([{ ...old, imported: true }, before1970]), 0, 'both were stored before');
      assert.equal(await store.events.append([record('new', '2026-11-20T10:00:01Z')]), 1);
    } finally {
      await close();
    }
  });
}
