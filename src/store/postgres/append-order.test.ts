/**
 * On PostgreSQL the delivery horizon never passes a record that commits late (store/trail-events.ts,
 * postgres/append.ts): appends run side by side, and the horizon waits for the ones between their
 * insert and their commit — or, past its lock wait, says "nothing new yet".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import { SecretBox } from '../secret-box.ts';
import { TEST_DATABASE_URL as URL, testSchema } from '../testing.ts';
import { dropSchema, openPostgresStore } from './open.ts';

const event = (id: string) => {
  const json = `{"eventID":"${id}","eventTime":"2026-06-01T00:00:00Z","eventName":"Op"}`;
  return storedEvent(JSON.parse(json), json);
};

test('a late commit cannot be skipped: appends do not wait on each other; the horizon waits for the open one', async () => {
  const schema = testSchema('order');
  const store = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 4 });
  let release = () => {};
  try {
    const base = await store.trails.eventHorizon(new Date());
    const held = new Promise<void>((r) => {
      release = r;
    });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => {
      firstInserted = r;
    });
    // a call whose audit record is inserted (lower seq) but whose transaction has not committed yet
    const slow = store.transaction(async (tx) => {
      await tx.events.append([event('slow')]);
      firstInserted();
      await held;
    });
    await inserted;
    await store.events.append([event('fast')]); // commits at once, with a higher seq
    assert.equal(await store.trails.lastEventSeq(), base + 2, 'the later record is visible, the earlier one not yet');
    let horizon: number | undefined;
    const pending = store.trails.eventHorizon(new Date()).then((h) => {
      horizon = h;
    });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(horizon, undefined, 'the horizon waits for the open append');
    release();
    await Promise.all([slow, pending]);
    assert.equal(horizon, base + 2);
    assert.deepEqual(
      (await store.trails.readEvents(base, horizon, 10)).map((e) => JSON.parse(e.json).eventID),
      ['slow', 'fast'],
    );
  } finally {
    release(); // a failed assertion must not leave the transaction open
    await store.close();
    await dropSchema(URL, schema);
  }
});

test('an append left open past the lock wait: the horizon answers "nothing new" instead of skipping it', async () => {
  const schema = testSchema('order2');
  const store = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 4 });
  let release = () => {};
  try {
    const held = new Promise<void>((r) => {
      release = r;
    });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => {
      firstInserted = r;
    });
    const slow = store.transaction(async (tx) => {
      await tx.events.append([event('slow')]);
      firstInserted();
      await held;
    });
    await inserted;
    await store.events.append([event('fast')]);
    assert.equal(await store.trails.eventHorizon(new Date()), 0);
    release();
    await slow;
    assert.equal(await store.trails.eventHorizon(new Date()), await store.trails.lastEventSeq());
  } finally {
    release();
    await store.close();
    await dropSchema(URL, schema);
  }
});
