/** Event ids (Ids.eventId): AWS's form (a version 4 UUID), time-ordered by their first 48 bits, random after. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomIds, timeOrderedUuid } from './ids.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('an event id is a version 4 UUID whose first 12 hex digits are the time in milliseconds', () => {
  const ms = Date.UTC(2026, 11, 4, 21, 30, 0, 123);
  const id = timeOrderedUuid(ms);
  assert.match(id, V4);
  assert.equal(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16), ms);
  assert.match(timeOrderedUuid(0), /^00000000-0000-4/);
  assert.match(timeOrderedUuid(-5), /^00000000-0000-4/);
  const before = Date.now();
  const live = randomIds.eventId();
  assert.match(live, V4);
  const t = Number.parseInt(live.slice(0, 8) + live.slice(9, 13), 16);
  assert.ok(t >= before && t <= Date.now(), `${t} within the call`);
});

test('event ids sort by time, and ids of one millisecond differ', () => {
  const ids = [1, 2, 10, 4096, 1_800_000_000_000].map((ms) => timeOrderedUuid(ms));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(1_800_000_000_000)));
  assert.equal(same.size, 10_000);
});
