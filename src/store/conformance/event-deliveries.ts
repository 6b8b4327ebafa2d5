/**
 * EventDeliveryStore conformance (store/contracts/event-deliveries.ts): rows claimed once under a
 * lease, due rows only, oldest first; retry and finish only by the lease's owner; a lapsed lease
 * lets another owner take the row; rows roll back with their transaction; fire times move by
 * compare-and-set.
 */
import assert from 'node:assert/strict';
import type { NewEventDelivery } from '../types.ts';
import { at, storeTest, T0, type Suite } from './harness.ts';

const row = (n: number, due: Date): NewEventDelivery => ({
  accountId: '000000000000',
  region: 'us-east-1',
  ruleArn: 'arn:aws:events:us-east-1:000000000000:rule/r',
  targetId: `t${n}`,
  targetArn: 'arn:aws:events:us-east-1:000000000000:api-destination/d/1',
  eventId: `e${n}`,
  eventTime: T0,
  body: `{"n":${n}}`,
  target: '{"id":"t"}',
  attempts: 0,
  nextAttemptAt: due,
  createdAt: T0,
});
const later = (ms: number) => new Date(T0.getTime() + ms);

export function runEventDeliveryConformance(suite: Suite): void {
  storeTest(suite, 'due rows are claimed once, oldest first, and kept whole', async (s) => {
    await s.eventDeliveries.add([row(1, later(2000)), row(2, T0), row(3, later(1000))]);
    assert.equal((await s.eventDeliveries.nextDue())?.toISOString(), T0.toISOString());
    const a = await s.eventDeliveries.claim('a', later(1000), later(31_000), 10);
    assert.deepEqual(
      a.map((d) => d.targetId),
      ['t2', 't3'],
    );
    const first = a.find((d) => d.targetId === 't2');
    assert.equal(first?.body, '{"n":2}');
    assert.equal(first?.eventTime.toISOString(), T0.toISOString());
    assert.equal(first?.lastErrorCode, undefined);
    assert.deepEqual(await s.eventDeliveries.claim('b', later(1000), later(31_000), 10), [], 'leased rows are not claimed again');
    assert.equal((await s.eventDeliveries.claim('b', later(2000), later(32_000), 10))[0]?.targetId, 't1');
  });

  storeTest(suite, 'retry and finish need the lease; a lapsed lease lets another owner take the row', async (s) => {
    await s.eventDeliveries.add([row(1, T0)]);
    const [d] = await s.eventDeliveries.claim('a', T0, later(30_000), 10);
    assert.ok(d);
    assert.equal(await s.eventDeliveries.retry(d.id, 'b', 1, later(1000), 'X', 'y'), false);
    assert.equal(await s.eventDeliveries.retry(d.id, 'a', 1, later(1000), 'SQS.QueueDoesNotExist', 'gone'), true);
    const [again] = await s.eventDeliveries.claim('b', later(1000), later(2000), 10);
    assert.equal(again?.attempts, 1);
    assert.equal(again?.lastErrorCode, 'SQS.QueueDoesNotExist');
    assert.equal(again?.lastErrorMessage, 'gone');
    // b's lease lapses at +2 s: c takes the row, and b can no longer finish it
    const [taken] = await s.eventDeliveries.claim('c', later(2000), later(40_000), 10);
    assert.equal(taken?.id, d.id);
    assert.equal(await s.eventDeliveries.finish(d.id, 'b'), false);
    assert.equal(await s.eventDeliveries.finish(d.id, 'c'), true);
    assert.deepEqual(await s.eventDeliveries.list(), []);
    assert.equal(await s.eventDeliveries.nextDue(), undefined);
  });

  storeTest(suite, 'rows roll back with their transaction', async (s) => {
    await assert.rejects(
      s.transaction(async (tx) => {
        await tx.eventDeliveries.add([row(1, T0)]);
        assert.equal((await tx.eventDeliveries.list()).length, 1);
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await s.eventDeliveries.list(), []);
  });

  storeTest(suite, 'a fire time moves only from where it is', async (s) => {
    const arn = 'arn:aws:events:us-east-1:000000000000:rule/tick';
    assert.equal(await s.eventDeliveries.lastFire(arn), undefined);
    assert.equal(await s.eventDeliveries.advanceFire(arn, '000000000000', 'us-east-1', undefined, T0), true);
    assert.equal(await s.eventDeliveries.advanceFire(arn, '000000000000', 'us-east-1', undefined, T0), false, 'the first fire once');
    const next = at('2026-01-01T00:01:00Z');
    assert.equal(await s.eventDeliveries.advanceFire(arn, '000000000000', 'us-east-1', T0, next), true);
    assert.equal(await s.eventDeliveries.advanceFire(arn, '000000000000', 'us-east-1', T0, next), false, 'the same time once');
    assert.equal((await s.eventDeliveries.lastFire(arn))?.toISOString(), next.toISOString());
    assert.deepEqual(await s.eventDeliveries.firedRules(), [arn]);
    await s.eventDeliveries.forgetFires([arn]);
    assert.equal(await s.eventDeliveries.lastFire(arn), undefined);
  });
}
