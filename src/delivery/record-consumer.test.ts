/**
 * consumeRecords (record-consumer.ts) on both backends: one round hands each committed record over
 * exactly once, in order, with the consumer's output; a failing handler commits neither output nor
 * progress; a round whose cursor moved under it (an owner fenced out) leaves no output.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storedEvent } from '../audit/columns.ts';
import { BACKENDS, openTestStore } from '../store/testing.ts';
import type { Store } from '../store/types.ts';
import { consumeRecords } from './record-consumer.ts';

const T0 = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

async function appendRecords(s: Store, n: number): Promise<void> {
  const records = Array.from({ length: n }, (_, i) => {
    const json = JSON.stringify({
      eventVersion: '1.11',
      eventTime: T0.toISOString(),
      eventSource: 'iam.amazonaws.com',
      eventName: `Call${i}`,
      awsRegion: 'us-east-1',
      eventID: `e-${i}`,
    });
    return storedEvent(JSON.parse(json), json, { imported: false });
  });
  await s.events.append(records);
}

for (const backend of BACKENDS) {
  test(`${backend}: each committed record is handed over once, in order, with the consumer's output`, async () => {
    const s = await openTestStore(backend, { schemaPrefix: 'consumer' });
    try {
      await appendRecords(s, 5);
      const last = await s.trails.lastEventSeq();
      await s.recordConsumers.ensure('c', last - 3, T0);
      const seen: string[] = [];
      const round = (ms: number) =>
        consumeRecords(s, { name: 'c', owner: 'n', now: later(ms), limit: 2 }, async (tx, records) => {
          for (const r of records) {
            seen.push(r.eventName ?? '');
            await tx.kv.put(`seen:${r.seq}`, r.eventName ?? '');
          }
        });
      assert.deepEqual(await round(0), { consumed: 2, more: true });
      assert.deepEqual(await round(1), { consumed: 1, more: false });
      assert.deepEqual(await round(2), { consumed: 0, more: false });
      assert.deepEqual(seen, ['Call2', 'Call3', 'Call4']);
      assert.equal(await s.kv.get(`seen:${last}`), 'Call4');
      assert.equal((await s.recordConsumers.get('c'))?.cursor, last);
      assert.equal((await consumeRecords(s, { name: 'c', owner: 'other', now: later(3) }, async () => {})).consumed, 0, 'leased to n');
    } finally {
      await s.close();
    }
  });

  test(`${backend}: a failing handler or a moved cursor commits neither output nor progress`, async () => {
    const s = await openTestStore(backend, { schemaPrefix: 'consumer' });
    try {
      await appendRecords(s, 2);
      const last = await s.trails.lastEventSeq();
      await s.recordConsumers.ensure('c', last - 2, T0);
      await assert.rejects(
        consumeRecords(s, { name: 'c', owner: 'n', now: T0 }, async (tx) => {
          await tx.kv.put('out', 'partial');
          throw new Error('target down');
        }),
        /target down/,
      );
      assert.equal(await s.kv.get('out'), undefined);
      assert.equal((await s.recordConsumers.get('c'))?.cursor, last - 2);
      // the cursor is no longer where this round read it: its output must not commit
      const r = await consumeRecords(s, { name: 'c', owner: 'n', now: later(1) }, async (tx) => {
        await tx.kv.put('out', 'duplicate');
        assert.equal(await tx.recordConsumers.advance('c', last - 2, last - 1), true);
      });
      assert.equal(r.consumed, 2);
      assert.equal(await s.kv.get('out'), undefined, 'the fenced round left no output');
      assert.equal((await s.recordConsumers.get('c'))?.cursor, last - 2);
      assert.deepEqual(await consumeRecords(s, { name: 'c', owner: 'n', now: later(2) }, async () => {}), { consumed: 2, more: false });
      assert.equal((await s.recordConsumers.get('c'))?.cursor, last);
    } finally {
      await s.close();
    }
  });
}
