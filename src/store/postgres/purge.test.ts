/**
 * On PostgreSQL the 90-day purge never holds up the calls being recorded (docs/architecture.md#storage): it deletes in
 * short batches of the oldest rows, locks only the rows it deletes, and a second node purging at the
 * same moment skips them instead of waiting (store/events.ts purgeBatch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import { SecretBox } from '../secret-box.ts';
import { TEST_DATABASE_URL as URL, testSchema } from '../testing.ts';
import { dropSchema, openPostgresStore } from './open.ts';

const event = (id: string, time: string) => {
  const json = JSON.stringify({ eventID: id, eventTime: time, eventName: 'Op', eventSource: 'test.amazonaws.com', readOnly: false });
  return storedEvent(JSON.parse(json), json);
};
const OLD = '2026-01-01T00:00:00Z';
const CUTOFF = new Date('2026-02-01T00:00:00Z');

test("a purge batch held open: appends, lookups and another node's purge go on without waiting", { timeout: 30_000 }, async () => {
  const schema = testSchema('purge');
  const store = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 4 });
  let release = () => {};
  try {
    await store.events.append(Array.from({ length: 30 }, (_, i) => event(`old-${i}`, OLD)));
    const held = new Promise<void>((r) => {
      release = r;
    });
    let firstBatchDone!: (n: number) => void;
    const firstBatch = new Promise<number>((r) => {
      firstBatchDone = r;
    });
    // node A: one purge batch of 10 deleted but not committed (a slow purge, seen mid-way)
    const slow = store.transaction(async (tx) => {
      firstBatchDone(await tx.events.purge(CUTOFF, { batchSize: 10 }));
      await held;
    });
    // batchSize 10 inside one transaction removes all 30 in three batches before it waits
    assert.equal(await firstBatch, 30);

    const t0 = Date.now();
    assert.equal(await store.events.append([event('new-1', '2026-11-24T00:00:00Z')]), 1, 'an append commits while the purge is open');
    const page = await store.events.lookup({ attributes: [{ key: 'EventName', value: 'Op' }], limit: 50 });
    assert.equal(page.events.length, 31, 'a lookup sees the committed state: the purge has not committed yet');
    // node B purging at the same moment skips the rows A holds instead of waiting for A
    assert.equal(await store.events.purge(CUTOFF, { batchSize: 10 }), 0);
    assert.ok(Date.now() - t0 < 2000, `nothing waited on the open purge (${Date.now() - t0} ms)`);

    release();
    await slow;
    const after = await store.events.lookup({ attributes: [], limit: 50 });
    assert.deepEqual(
      after.events.map((e) => e.eventId),
      ['new-1'],
    );
  } finally {
    release(); // a failed assertion must not leave the transaction open
    await store.close();
    await dropSchema(URL, schema);
  }
});

test('two nodes purging together remove each expired record once, between them', async () => {
  const schema = testSchema('purge2');
  const a = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
  const b = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 2 });
  try {
    await a.events.append(Array.from({ length: 500 }, (_, i) => event(`old-${i}`, OLD)));
    await a.events.append([event('young', '2026-11-24T00:00:00Z')]);
    const [na, nb] = await Promise.all([a.events.purge(CUTOFF, { batchSize: 7 }), b.events.purge(CUTOFF, { batchSize: 7 })]);
    assert.equal(na + nb, 500);
    assert.equal(await a.events.count(), 1);
  } finally {
    await a.close();
    await b.close();
    await dropSchema(URL, schema);
  }
});
