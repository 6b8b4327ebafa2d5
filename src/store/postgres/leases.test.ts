/**
 * Trail delivery leases on PostgreSQL (postgres/leases.ts): one holder at a time among nodes sharing a
 * schema, and a holder that goes — closed, or its session killed — frees the trail at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SecretBox } from '../secret-box.ts';
import { TEST_DATABASE_URL as URL, testSchema } from '../testing.ts';
import { dropSchema, openPostgresStore } from './open.ts';

const T = new Date('2026-06-01T00:00:00Z');
const later = new Date(T.getTime() + 60_000);

test('one node holds a trail at a time; a closed or killed holder hands it over at once; other schemas do not contend', async () => {
  const schema = testSchema('lease');
  const box = new SecretBox(randomBytes(32));
  const [a, b, c] = await Promise.all([1, 2, 3].map(() => openPostgresStore(URL, box, { schema, maxConnections: 2 })));
  const other = await openPostgresStore(URL, box, { schema: `${schema}_x`, maxConnections: 2 });
  try {
    assert.equal(await a!.trails.claimTrail(1, 'a', T, later), true);
    assert.equal(await b!.trails.claimTrail(1, 'b', T, later), false);
    assert.equal(await b!.trails.claimTrail(2, 'b', T, later), true, 'another trail is free');
    assert.equal(await a!.trails.claimTrail(1, 'a', T, later), true, 'the holder keeps it');
    assert.equal(await other.trails.claimTrail(1, 'o', T, later), true, 'trail 1 of another schema is another lease');
    // a node that dies: its lease session is gone, so is the lock (as SIGKILL does by closing the socket)
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    const killed = await admin.query(
      `select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and objsubid = 2 and objid = 1 and classid::int4 = hashtext($1::text || '.trails')`,
      [schema],
    );
    assert.equal(killed.rowCount, 1);
    await admin.end();
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await c!.trails.claimTrail(1, 'c', T, later), true, 'taken over at once');
    assert.equal(await a!.trails.claimTrail(1, 'a', T, later), false, 'the old holder notices it lost the lease');
    await c!.close();
    assert.equal(await a!.trails.claimTrail(1, 'a', T, later), true, 'a closed holder frees it');
  } finally {
    for (const s of [a, b, other]) await s!.close();
    await dropSchema(URL, schema);
    await dropSchema(URL, `${schema}_x`);
  }
});
