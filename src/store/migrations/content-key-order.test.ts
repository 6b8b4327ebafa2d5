/**
 * Migration 027 on a database made before it, on both backends: every stored key gets its record's
 * event id's first 12 hex digits in front (12 zeros for an id that does not start with them), exactly
 * as store/events.ts storedKey writes them, so a record stored before the migration is still
 * recognised when it is appended (imported) again.
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
  test(`027 (${backend}): stored keys get the event id in front; a record stored before is not added again`, async () => {
    const { db, close } = await openDb(backend);
    try {
      await migrate(
        db,
        backend,
        MIGRATIONS.filter((m) => m.name < '027'),
      );
      // as the code before 027 stored them: the bare SHA-256, and a data event's key of migration 007
      const records = [
        record('019aeb5c-0f3b-4d2e-9c1a-5e8f7a6b4c3d', '2026-11-20T10:00:00.123Z'),
        record('early', '1969-12-31T23:59:59Z'),
        record('019aeb5c-0f3b-😀d2e-9c1a-5e8f7a6b4c3d', '2026-11-20T10:00:02Z'),
        record('019AEB5C-0F3B-4D2E-9C1A-5E8F7A6B4C3D', '2026-11-20T10:00:03Z'),
        record('019aeb5c0f\u0001b4d2e', '2026-11-20T10:00:04Z'),
      ];
      const keys = records.map((e) => parsedContentKey(JSON.parse(e.json)));
      const row = (e: (typeof records)[number], contentKey: string) => ({
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
        .values([...records.map((e, i) => row(e, keys[i]!)), { ...row(records[0]!, 'data:d1:7'), event_id: 'd1', data: 1 }])
        .execute();

      await migrate(db, backend);
      const stored = (await db.selectFrom('events').select(['event_id', 'content_key']).orderBy('seq').execute()).map((r) => [r.event_id, r.content_key]);
      assert.deepEqual(stored, [
        [records[0]!.eventId, `019aeb5c0f3b${keys[0]!.slice(0, 52)}`],
        ['early', `000000000000${keys[1]!.slice(0, 52)}`],
        [records[2]!.eventId, `019aeb5c0f3b${keys[2]!.slice(0, 52)}`],
        [records[3]!.eventId, `000000000000${keys[3]!.slice(0, 52)}`],
        [records[4]!.eventId, `000000000000${keys[4]!.slice(0, 52)}`],
        ['d1', '000000000000data:d1:7'],
      ]);
      for (const [i, e] of records.entries()) assert.equal(storedKey(e.eventId, keys[i]!), stored[i]![1], `the migration's key is storedKey's (${e.eventId})`);

      const store = new KyselyStore(db, new SecretBox(randomBytes(32)));
      assert.equal(await store.events.append(records.map((e) => ({ ...e, imported: true }))), 0, 'all were stored before');
      assert.equal(await store.events.append([record('new', '2026-11-20T10:00:01Z')]), 1);
    } finally {
      await close();
    }
  });
}
