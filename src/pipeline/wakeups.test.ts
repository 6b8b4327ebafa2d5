/** Long polls' wake-ups (wakeups.ts): one notify wakes the longest-waiting poll on its key, no other. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Wakeups } from './wakeups.ts';

test('notify wakes the oldest waiter on the key only; other keys and later waiters sleep on', { timeout: 5000 }, async () => {
  const w = new Wakeups();
  const woken: string[] = [];
  const first = w.wait('q1', 1e9).then(() => woken.push('first'));
  const second = w.wait('q1', 1e9).then(() => woken.push('second'));
  const other = w.wait('q2', 1e9).then(() => woken.push('other'));
  w.notify('q1');
  await first;
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(woken, ['first']);
  w.notify('q1');
  await second;
  w.notify('q2');
  await other;
  assert.deepEqual(woken, ['first', 'second', 'other']);
  w.notify('q1'); // nobody waits: nothing happens
});

test('a wait ends by itself after its time', { timeout: 5000 }, async () => {
  const w = new Wakeups();
  await w.wait('q', 10);
  w.notify('q');
});

test('a notify is relayed to sibling processes; a relayed one wakes a local poll and is not relayed again', { timeout: 5000 }, async () => {
  const w = new Wakeups();
  const relayed: string[] = [];
  w.relay = (key) => relayed.push(key);
  const waiter = w.wait('q', 1e9);
  w.notifyLocal('q');
  await waiter;
  assert.deepEqual(relayed, []);
  w.notify('q');
  w.notify('r');
  assert.deepEqual(relayed, ['q', 'r']);
});
