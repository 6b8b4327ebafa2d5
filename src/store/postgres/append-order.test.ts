/**
 * On PostgreSQL, Event history's sequence order is commit order (store/events.ts): an append waits
 * while another transaction's append is uncommitted, so the delivery horizon (the largest visible
 * seq) never passes a record that commits later.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storedEvent } from '../../audit/columns.ts';
import { SecretBox } from '../secret-box.ts';
import { dropSchema, openPostgresStore } from './open.ts';

const URL = process.env.STARTRAIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const event = (id: string) => { const json = `{"eventID":"${id}","eventTime":"2026-06-01T00:00:00Z","eventName":"Op"}`; return storedEvent(JSON.parse(json), json); };

test('a late commit cannot be skipped: appends commit in seq order, and the horizon waits for the open one', async () => {
  const schema = `order_${process.pid}_${Date.now().toString(36)}`;
  const store = await openPostgresStore(URL, new SecretBox(randomBytes(32)), { schema, maxConnections: 4 });
  let release = () => {};
  try {
    const base = await store.trails.eventHorizon(new Date());
    const held = new Promise<void>((r) => { release = r; });
    let firstInserted!: () => void;
    const inserted = new Promise<void>((r) => { firstInserted = r; });
    // a call whose audit record is inserted but whose transaction has not committed yet
    const slow = store.transaction(async (tx) => { await tx.events.append([event('slow')]); firstInserted(); await held; });
    await inserted;
    let fastDone = false;
    const fast = store.events.append([event('fast')]).then(() => { fastDone = true; });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fastDone, false, 'the second append waits for the first to commit');
    assert.equal(await store.trails.eventHorizon(new Date()), base, 'nothing past the open transaction is visible');
    release();
    await Promise.all([slow, fast]);
    const seqs = (await store.trails.readEvents(base, Number.MAX_SAFE_INTEGER, 10)).map((e) => JSON.parse(e.json).eventID);
    assert.deepEqual(seqs, ['slow', 'fast']);
    assert.equal(await store.trails.eventHorizon(new Date()), await store.trails.lastEventSeq());
  } finally {
    release(); // a failed assertion must not leave the transaction open
    await store.close();
    await dropSchema(URL, schema);
  }
});
