/** 90-day retention of Event history (docs/architecture.md#event-history). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox } from '../store/secret-box.ts';
import { openSqliteStore } from '../store/sqlite/open.ts';
import { BACKENDS, openTestStore } from '../store/testing.ts';
import type { Store, Trail } from '../store/types.ts';
import { storedEvent } from './columns.ts';
import { purgeExpiredEvents, startEventRetention } from './retention.ts';

const DAY = 24 * 3600 * 1000;
const now = new Date('2026-06-01T00:00:00Z');
const at = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const rec = (id: string, time: string) => `{"eventID":"${id}","eventTime":"${time}","resources":[{"type":"T","ARN":"arn:${id}"}]}`;

test('records older than 90 days leave history, with their resources; younger ones stay; imported ones count from the import', async () => {
  const s = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  const add = (json: string, addedAt?: Date) => s.events.append([storedEvent(JSON.parse(json), json, addedAt ? { addedAt, imported: true } : {})]);
  await add(rec('old', at(90 * DAY + 1000)));
  await add(rec('edge', at(90 * DAY)));
  await add(rec('young', at(DAY)));
  await add(rec('imported-old', '2019-01-01T00:00:00Z'), new Date(now.getTime() - 10 * DAY));
  await add(rec('imported-long-ago', '2019-01-02T00:00:00Z'), new Date(now.getTime() - 91 * DAY));
  assert.equal(await purgeExpiredEvents(s, now), 2);
  const left = await s.events.lookup({ attributes: [], limit: 50 });
  assert.deepEqual(
    left.events.map((e) => e.eventId),
    ['young', 'edge', 'imported-old'],
  );
  assert.deepEqual(
    (await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'T' }], limit: 50 })).events.map((e) => e.eventId),
    ['young', 'edge', 'imported-old'],
  );
  assert.equal(await purgeExpiredEvents(s, now), 0);
  await s.close();
});

test('the retention timer purges at once and stops when told', async () => {
  const s = await openSqliteStore(':memory:', new SecretBox(randomBytes(32)));
  await s.events.append([storedEvent(JSON.parse(rec('old', at(100 * DAY))), rec('old', at(100 * DAY)))]);
  const logs: unknown[] = [];
  // an interval far longer than the test: only the first, immediate run can purge
  const timer = startEventRetention(s, { clock: () => now, intervalMs: 600_000, log: (msg, f) => logs.push([msg, f]) });
  // however loaded the machine, wait for that run to finish instead of for a fixed time
  for (let i = 0; i < 500 && logs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  timer.stop();
  assert.equal(await s.events.count(), 0);
  assert.deepEqual(logs, [['event history purged', { removed: 1, retentionDays: 90 }]]);
  await s.close();
});

/** Both backends: a trail's undelivered records outlive retention, and the purge works in bounded batches. */
const backends: [string, () => Promise<{ s: Store; dispose(): Promise<void> }>][] = BACKENDS.map((b) => [
  b,
  async () => {
    const s = await openTestStore(b, { schemaPrefix: 'retention' });
    return { s, dispose: () => s.close() };
  },
]);

for (const [name, open] of backends) {
  test(`${name}: records past the lowest cursor of a delivering trail or a record consumer stay; imported ones and delivered ones go; batches are bounded`, async () => {
    const { s, dispose } = await open();
    try {
      const add = (id: string, ms: number, imported = false) =>
        s.events.append([storedEvent(JSON.parse(rec(id, at(ms))), rec(id, at(ms)), imported ? { addedAt: new Date(now.getTime() - ms), imported } : {})]);
      for (let i = 0; i < 7; i++) await add(`delivered-${i}`, 100 * DAY);
      const cursor = await s.trails.lastEventSeq();
      await add('undelivered-old', 95 * DAY);
      await add('imported-old', 95 * DAY, true);
      await add('young', DAY);
      const trail = await s.trails.createTrail({
        name: 't',
        homeRegion: 'us-east-1',
        arn: 'arn:aws:cloudtrail:us-east-1:000000000000:trail/t',
        createdAt: now,
        deleted: false,
        s3BucketName: 'b',
        includeGlobalServiceEvents: true,
        isMultiRegionTrail: false,
        logFileValidationEnabled: false,
        isOrganizationTrail: false,
        status: { isLogging: true, failures: 0 },
      } as Omit<Trail, 'id'>);
      const session = await s.trails.openSession({ trailId: trail.id, startSeq: 0, cursor, startedAt: now });
      assert.equal(await s.trails.lowestCursor(), cursor);
      assert.equal(await purgeExpiredEvents(s, now), 8, 'the delivered and the imported old records');
      assert.deepEqual(
        (await s.events.lookup({ attributes: [], limit: 50 })).events.map((e) => e.eventId),
        ['young', 'undelivered-old'],
      );
      // once delivered, it goes
      await s.trails.advanceCursor(session.id, cursor, await s.trails.lastEventSeq());
      assert.equal(await purgeExpiredEvents(s, now), 1);
      await s.trails.deleteSession(session.id);
      assert.equal(await s.trails.lowestCursor(), undefined);
      // a record-stream consumer's cursor holds records back the same way
      for (let i = 0; i < 3; i++) await add(`consumed-${i}`, 100 * DAY);
      const consumed = await s.trails.lastEventSeq();
      await add('unconsumed-old', 95 * DAY);
      await s.recordConsumers.ensure('events:cloudtrail', consumed, now);
      assert.equal(await purgeExpiredEvents(s, now), 3, 'the consumed old records');
      assert.deepEqual(
        (await s.events.lookup({ attributes: [], limit: 50 })).events.map((e) => e.eventId),
        ['young', 'unconsumed-old'],
      );
      await s.recordConsumers.remove('events:cloudtrail');
      assert.equal(await purgeExpiredEvents(s, now), 1);
      // bounded batches remove everything due, resources included
      for (let i = 0; i < 5; i++) await add(`batch-${i}`, 120 * DAY);
      assert.equal(await s.events.purge(new Date(now.getTime() - 90 * DAY), { batchSize: 2 }), 5);
      assert.deepEqual(
        (await s.events.lookup({ attributes: [{ key: 'ResourceType', value: 'T' }], limit: 50 })).events.map((e) => e.eventId),
        ['young'],
      );
    } finally {
      await dispose();
    }
  });
}
