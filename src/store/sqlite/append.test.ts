/**
 * The audited calls' records on SQLite (sqlite/append.ts writeAtCommit, group-commit.ts deferAppend):
 * written by the group just before its COMMIT, in one statement, after every member's savepoint;
 * another connection sees them only once the group has committed; if that write fails, the whole
 * group fails and keeps nothing, not even its members' other changes. The contract both backends
 * share (EventStore.appendAtCommit) is in conformance/events.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedEvent } from '../../audit/columns.ts';
import { SecretBox } from '../secret-box.ts';
import { openSqliteStore } from './open.ts';

const record = (id: string, name: string) => {
  const json = JSON.stringify({ eventID: id, eventTime: '2026-01-01T00:00:00Z', eventName: name, eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1' });
  return storedEvent(JSON.parse(json), json);
};

async function withStore(fn: (store: Awaited<ReturnType<typeof openSqliteStore>>, raw: Database.Database) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'startrail-append-'));
  // groups stay open until nobody waits, however slow the machine: the tests build their groups by timing
  const store = await openSqliteStore(join(dir, 'db'), new SecretBox(randomBytes(32)), { groupMaxAgeMs: 60_000 });
  const raw = new Database(join(dir, 'db')); // another connection: committed rows only
  try {
    await fn(store, raw);
  } finally {
    raw.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stored = (raw: Database.Database) => (raw.prepare('select event_id from events order by seq').all() as { event_id: string }[]).map((r) => r.event_id);

test("a group's records are written after its members' work and visible to another connection when the group has committed", async () => {
  await withStore(async (store, raw) => {
    const seenInside: string[][] = [];
    await Promise.all(
      ['one', 'two', 'three'].map((id) =>
        store.transaction(async (tx) => {
          await tx.events.appendAtCommit([record(id, 'GetUser')]);
          await new Promise((r) => setImmediate(r)); // the others start meanwhile, as concurrent calls do
          seenInside.push(stored(raw));
        }),
      ),
    );
    assert.deepEqual(seenInside, [[], [], []], 'nothing is visible before the COMMIT');
    assert.deepEqual(stored(raw).sort(), ['one', 'three', 'two']);
  });
});

test('if the group cannot write its records, every member fails and none of their changes is kept', async () => {
  await withStore(async (store, raw) => {
    // the final write fails for a record named Boom, as a full disk or an I/O error would fail it
    raw.exec("create trigger boom before insert on events when new.event_name = 'Boom' begin select raise(abort, 'boom'); end");
    const results = await Promise.allSettled([
      store.transaction(async (tx) => {
        await tx.kv.put('some-state', 'v1');
        await tx.events.appendAtCommit([record('fine', 'GetUser')]);
        await new Promise((r) => setImmediate(r));
      }),
      store.transaction(async (tx) => {
        await tx.events.appendAtCommit([record('boom', 'Boom')]);
      }),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.status)),
      ['boom', 'boom'],
    );
    assert.deepEqual(stored(raw), []);
    assert.equal(await store.kv.get('some-state'), undefined);
    // the store goes on: the next group commits
    await store.transaction((tx) => tx.events.appendAtCommit([record('after', 'GetUser')]));
    assert.deepEqual(stored(raw), ['after']);
  });
});
