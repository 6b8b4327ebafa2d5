/**
 * RecordConsumerStore conformance (store/contracts/record-consumers.ts): a consumer is created once and keeps its cursor, the lease admits one owner at a time until it
 * lapses, the cursor moves only from where it is. delivery/record-consumer.test.ts tests the driver.
 */
import assert from 'node:assert/strict';
import { storeTest, T0, type Suite } from './harness.ts';

const later = (ms: number) => new Date(T0.getTime() + ms);

export function runRecordConsumerConformance(suite: Suite): void {
  storeTest(suite, 'a consumer is created once, keeps its cursor, is listed by prefix and removed', async (s) => {
    assert.equal(await s.recordConsumers.get('events:cloudtrail'), undefined);
    const c = await s.recordConsumers.ensure('events:cloudtrail', 7, T0);
    assert.deepEqual(c, { name: 'events:cloudtrail', cursor: 7, createdAt: T0 });
    assert.equal(await s.recordConsumers.advance('events:cloudtrail', 7, 9), true);
    assert.equal((await s.recordConsumers.ensure('events:cloudtrail', 0, later(1000))).cursor, 9, 'an existing consumer keeps its cursor');
    await s.recordConsumers.ensure('trail-logs:1', 3, T0);
    await s.recordConsumers.ensure('trail-logs:2', 12, T0);
    assert.deepEqual(
      (await s.recordConsumers.list('trail-logs:')).map((x) => x.name),
      ['trail-logs:1', 'trail-logs:2'],
    );
    assert.equal((await s.recordConsumers.list()).length, 3);
    assert.equal(await s.recordConsumers.lowestCursor(), 3);
    await s.recordConsumers.remove('trail-logs:1');
    assert.equal(await s.recordConsumers.lowestCursor(), 9);
    await s.recordConsumers.remove('trail-logs:2');
    await s.recordConsumers.remove('events:cloudtrail');
    assert.equal(await s.recordConsumers.lowestCursor(), undefined);
  });

  storeTest(suite, 'the cursor moves only from where it is; the lease admits one owner until it lapses', async (s) => {
    await s.recordConsumers.ensure('c', 0, T0);
    assert.equal(await s.recordConsumers.advance('c', 1, 5), false, 'not at 1');
    assert.equal(await s.recordConsumers.advance('c', 0, 5), true);
    assert.equal((await s.recordConsumers.get('c'))?.cursor, 5);
    assert.equal(await s.recordConsumers.claim('c', 'node-a', T0, later(30_000)), true);
    assert.equal(await s.recordConsumers.claim('c', 'node-b', later(1000), later(31_000)), false, 'held by node-a');
    assert.equal(await s.recordConsumers.claim('c', 'node-a', later(1000), later(31_000)), true, 'renewed by its owner');
    assert.equal(await s.recordConsumers.claim('c', 'node-b', later(32_000), later(62_000)), true, 'lapsed: taken over');
    assert.equal(await s.recordConsumers.claim('gone', 'node-a', T0, later(1000)), false, 'no such consumer');
  });
}
