/**
 * QueueStore conformance (contracts/queues.ts): queues, listing by prefix and page, deletion with
 * its memory, messages claimed oldest first, visibility, moves, FIFO groups and deduplication, and
 * — on every backend — concurrent receivers never handed one message twice.
 */
import assert from 'node:assert/strict';
import type { NewMessage, Queue, Store } from '../types.ts';
import { at, storeTest, T0, type Suite } from './harness.ts';

const ACCT = '123456789012';
const queue = (name: string, attributes: Record<string, string> = {}): Queue => ({
  accountId: ACCT,
  name,
  arn: `arn:aws:sqs:us-east-1:${ACCT}:${name}`,
  fifo: name.endsWith('.fifo'),
  attributes,
  tags: { team: 'a' },
  createdAt: T0,
  modifiedAt: T0,
});
const message = (id: string, sentAt = T0, extra: Partial<NewMessage> = {}): NewMessage => ({
  messageId: id,
  body: `body ${id}`,
  systemAttributes: '{"SenderId":"AIDA"}',
  md5OfBody: '0'.repeat(32),
  sentAt,
  visibleAt: sentAt,
  ...extra,
});
const later = (ms: number) => new Date(T0.getTime() + ms);

async function bodies(s: Store, name: string, now: Date, fifo = false): Promise<string[]> {
  return s.transaction(async (tx) => {
    const got = await tx.queues.claim(ACCT, name, { now, max: 10, fifo });
    for (const m of got) await tx.queues.markReceived(m.seq, 'a'.repeat(32), now, later(now.getTime() - T0.getTime() + 30_000));
    return got.map((m) => m.messageId);
  });
}

export function runQueueConformance(suite: Suite): void {
  storeTest(suite, 'queues: create once, read, list by prefix and page, update, delete remembered', async (s) => {
    assert.equal(await s.queues.createQueue(queue('alpha', { VisibilityTimeout: '40' })), true);
    assert.equal(await s.queues.createQueue(queue('alpha')), false);
    for (const n of ['alpine', 'beta', 'al_x']) await s.queues.createQueue(queue(n));
    assert.deepEqual(await s.queues.getQueue(ACCT, 'alpha'), queue('alpha', { VisibilityTimeout: '40' }));
    assert.equal(await s.queues.getQueue('000000000000', 'alpha'), undefined, 'queues belong to an account');
    const names = async (o: { prefix?: string; after?: string; limit: number }) => (await s.queues.listQueues(ACCT, o)).map((q) => q.name);
    assert.deepEqual(await names({ limit: 10 }), ['al_x', 'alpha', 'alpine', 'beta']);
    assert.deepEqual(await names({ prefix: 'alp', limit: 10 }), ['alpha', 'alpine']);
    assert.deepEqual(await names({ prefix: 'al_', limit: 10 }), ['al_x'], '_ is a character, not a wildcard');
    assert.deepEqual(await names({ after: 'alpha', limit: 1 }), ['alpine']);
    await s.queues.updateQueue(ACCT, 'alpha', { attributes: { DelaySeconds: '5' }, tags: {}, modifiedAt: at('2026-01-02T00:00:00Z') });
    const updated = await s.queues.getQueue(ACCT, 'alpha');
    assert.deepEqual([updated?.attributes, updated?.tags, updated?.modifiedAt], [{ DelaySeconds: '5' }, {}, at('2026-01-02T00:00:00Z')]);
    await s.queues.addMessage(ACCT, 'alpha', message('m1'));
    await s.queues.deleteQueue(ACCT, 'alpha', later(1000));
    assert.equal(await s.queues.getQueue(ACCT, 'alpha'), undefined);
    assert.deepEqual(await s.queues.deletedAt(ACCT, 'alpha'), later(1000));
    assert.equal(await s.queues.deletedAt(ACCT, 'beta'), undefined);
    assert.equal(await s.queues.createQueue(queue('alpha')), true);
    assert.deepEqual(await s.queues.counts(ACCT, 'alpha', T0), { visible: 0, inFlight: 0, delayed: 0 }, 'the old messages went with the old queue');
  });

  storeTest(suite, 'messages: oldest visible first, in flight until visible again, delayed, moved, expired, purged', async (s) => {
    await s.queues.createQueue(queue('q'));
    await s.queues.createQueue(queue('dlq'));
    const m1 = await s.queues.addMessage(ACCT, 'q', message('m1'));
    await s.queues.addMessage(ACCT, 'q', message('m2', later(1)));
    await s.queues.addMessage(ACCT, 'q', message('m3', later(2), { visibleAt: later(60_000) }));
    assert.deepEqual(await s.queues.counts(ACCT, 'q', later(10)), { visible: 2, inFlight: 0, delayed: 1 });
    assert.deepEqual(await bodies(s, 'q', later(10)), ['m1', 'm2']);
    assert.deepEqual(await s.queues.counts(ACCT, 'q', later(10)), { visible: 0, inFlight: 2, delayed: 1 });
    assert.deepEqual(await bodies(s, 'q', later(20)), [], 'in flight');
    const got = await s.queues.getMessage(ACCT, 'q', m1);
    assert.deepEqual([got?.receiveCount, got?.receipt, got?.firstReceivedAt], [1, 'a'.repeat(32), later(10)]);
    assert.equal(await s.queues.getMessage(ACCT, 'dlq', m1), undefined, 'a message is found in its own queue only');
    await s.queues.setVisibleAt(m1, later(30));
    assert.deepEqual(await bodies(s, 'q', later(40)), ['m1']);
    assert.equal((await s.queues.getMessage(ACCT, 'q', m1))?.receiveCount, 2);
    await s.queues.moveMessage(m1, ACCT, 'dlq', later(50), '{"SenderId":"AIDA","DeadLetterQueueSourceArn":"arn"}');
    assert.deepEqual(await bodies(s, 'dlq', later(50)), ['m1']);
    assert.equal((await s.queues.getMessage(ACCT, 'dlq', m1))?.systemAttributes, '{"SenderId":"AIDA","DeadLetterQueueSourceArn":"arn"}');
    assert.equal(await s.queues.expire(ACCT, 'q', later(2)), 1, 'm2 was sent before the cutoff');
    assert.equal(await s.queues.purge(ACCT, 'q'), 1);
    assert.deepEqual(await s.queues.counts(ACCT, 'q', later(100_000)), { visible: 0, inFlight: 0, delayed: 0 });
    await s.queues.deleteMessage(m1);
    assert.equal(await s.queues.getMessage(ACCT, 'dlq', m1), undefined);
  });

  storeTest(suite, 'FIFO: a group is received in order and not while an earlier message is in flight; deduplication within the interval', async (s) => {
    await s.queues.createQueue(queue('f.fifo'));
    for (const [id, g] of [
      ['a1', 'a'],
      ['b1', 'b'],
      ['a2', 'a'],
    ])
      await s.queues.addMessage(ACCT, 'f.fifo', message(id!, T0, { groupId: g! }));
    const first = await s.transaction(async (tx) => {
      const [m] = await tx.queues.claim(ACCT, 'f.fifo', { now: T0, max: 1, fifo: true });
      await tx.queues.markReceived(m!.seq, 'b'.repeat(32), T0, later(30_000));
      return m!.messageId;
    });
    assert.equal(first, 'a1');
    assert.deepEqual(await bodies(s, 'f.fifo', later(1), true), ['b1'], 'group a waits for a1');
    const entry = (id: string, seq: number, expires = 300_000) => ({ messageId: id, seq, expiresAt: later(expires) });
    assert.equal(await s.queues.deduplicate(ACCT, 'f.fifo', 'k', T0, entry('x', 1)), undefined);
    assert.deepEqual(await s.queues.deduplicate(ACCT, 'f.fifo', 'k', later(1000), entry('y', 2)), { messageId: 'x', seq: 1 });
    assert.equal(await s.queues.deduplicate(ACCT, 'f.fifo', 'k', later(300_000), entry('z', 3, 600_000)), undefined, 'the interval has passed');
    assert.deepEqual(await s.queues.deduplicate(ACCT, 'f.fifo', 'k', later(300_001), entry('w', 4)), { messageId: 'z', seq: 3 });
  });

  storeTest(suite, 'concurrent receivers are never handed the same message', async (s) => {
    await s.queues.createQueue(queue('shared'));
    for (let i = 0; i < 40; i++) await s.queues.addMessage(ACCT, 'shared', message(`m${i}`));
    const rounds = await Promise.all(Array.from({ length: 8 }, () => bodies(s, 'shared', later(1))));
    const all = rounds.flat();
    assert.equal(all.length, 40);
    assert.equal(new Set(all).size, 40);
  });
}
