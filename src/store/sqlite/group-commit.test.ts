/**
 * SQLite group commit (sqlite/group-commit.ts): concurrent transactions share a COMMIT, and each
 * returns only once it is committed and visible to another connection; one that fails rolls back
 * alone; a failed COMMIT fails every transaction of its group; a write outside a transaction never
 * rides along in an open group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import { BUSY_TIMEOUT_MS, GroupCommitSqliteDialect } from './group-commit.ts';

async function open() {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  const file = join(dir, 'db.sqlite');
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.exec(`create table kv (k text primary key, v text);
    create table parent (id integer primary key);
    create table child (pid integer references parent(id) deferrable initially deferred);`);
  // groups stay open until nobody waits, however slow the machine: the tests build their groups by timing
  const dialect = new GroupCommitSqliteDialect(raw, () => raw.inTransaction, { maxAgeMs: 60_000 });
  const db = new Kysely<any>({ dialect });
  const other = new Database(file, { readonly: true }); // another process's view: committed rows only
  const seen = (k: string) => other.prepare('select v from kv where k = ?').get(k) !== undefined;
  return {
    db,
    dialect,
    file,
    raw,
    seen,
    close: async () => {
      other.close();
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('concurrent transactions share a COMMIT; each returns once committed and visible to another connection', async () => {
  const { db, dialect, seen, close } = await open();
  try {
    const visibleOnReturn: boolean[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx
              .insertInto('kv')
              .values({ k: `k${i}`, v: 'v' })
              .execute();
            await new Promise((r) => setImmediate(r)); // the others start meanwhile, as concurrent calls do
          })
          .then(() => visibleOnReturn.push(seen(`k${i}`))),
      ),
    );
    assert.deepEqual(visibleOnReturn, Array(20).fill(true));
    assert.equal(dialect.driver!.stats.transactions, 20);
    assert.ok(dialect.driver!.stats.commits < 20, `${dialect.driver!.stats.commits} COMMITs for 20 transactions`);
  } finally {
    await close();
  }
});

test('a transaction that fails rolls back alone; the others of its group commit', async () => {
  const { db, seen, close } = await open();
  try {
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((k) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('kv').values({ k, v: 'v' }).execute();
          await new Promise((r) => setImmediate(r));
          if (k === 'b') throw new Error('b fails');
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(['a', 'b', 'c'].map(seen), [true, false, true]);
  } finally {
    await close();
  }
});

test('a COMMIT that fails fails every transaction of its group, and keeps none of them', async () => {
  const { db, seen, close } = await open();
  try {
    const results = await Promise.allSettled([
      db.transaction().execute(async (trx) => {
        await trx.insertInto('kv').values({ k: 'ok', v: 'v' }).execute();
        await new Promise((r) => setImmediate(r));
      }),
      // a deferred foreign key: the statement succeeds, the COMMIT does not
      db.transaction().execute(async (trx) => {
        await sql`insert into child (pid) values (999)`.execute(trx);
      }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.match(String((results[0] as PromiseRejectedResult).reason), /FOREIGN KEY/);
    assert.equal(seen('ok'), false);
    // and the connection goes on working
    await db.transaction().execute((trx) => trx.insertInto('kv').values({ k: 'after', v: 'v' }).execute());
    assert.equal(seen('after'), true);
  } finally {
    await close();
  }
});

test('a write outside a transaction commits the open group first and is itself committed when it returns', async () => {
  const { db, seen, close } = await open();
  try {
    const tx = db.transaction().execute((trx) => trx.insertInto('kv').values({ k: 'in-group', v: 'v' }).execute());
    await db.insertInto('kv').values({ k: 'autocommit', v: 'v' }).execute();
    assert.equal(seen('autocommit'), true);
    assert.equal(seen('in-group'), true, 'the group was committed before the autocommit write');
    await tx;
  } finally {
    await close();
  }
});

test('while another process holds the write lock, a transaction waits for it without blocking the event loop', { timeout: 20_000 }, async () => {
  const { db, file, raw, seen, close } = await open();
  const sibling = new Database(file); // a second connection on the file, as a sibling `--workers` process has
  try {
    sibling.exec('begin immediate');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const done = db.transaction().execute((trx) => trx.insertInto('kv').values({ k: 'after-lock', v: 'v' }).execute());
    await new Promise((r) => setTimeout(r, 300));
    const ticksWhileLocked = ticks;
    assert.equal(seen('after-lock'), false);
    sibling.exec('commit');
    await done;
    clearInterval(timer);
    // a busy wait inside the call would block the loop for the whole 5 s busy timeout (at most one late
    // tick); a few ticks prove it ran, with room for a loaded machine to run fewer than the 60 possible
    assert.ok(ticksWhileLocked >= 3, `the event loop ran ${ticksWhileLocked} 5 ms timers in 300 ms while the lock was held`);
    assert.equal(seen('after-lock'), true);
    // the connection's own busy timeout is back for statements outside a group
    assert.equal(raw.pragma('busy_timeout', { simple: true }), BUSY_TIMEOUT_MS);
  } finally {
    sibling.close();
    await close();
  }
});
