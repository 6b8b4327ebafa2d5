/**
 * compiled.ts on both backends: a query compiled once answers each call with that call's arguments
 * (the same rows Kysely's own build of it returns), keeps the constants of its first build, works
 * inside a transaction, and refuses a builder whose arguments shape the SQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kysely } from 'kysely';
import { compiled } from './compiled.ts';
import type { DB } from './schema.ts';
import { BACKENDS, openTestStore } from './testing.ts';

const byIdAndStatus = compiled((db, id: string, status: string) =>
  db
    .selectFrom('access_keys')
    .select(['access_key_id', 'status'])
    .where('access_key_id', '=', id)
    .where('status', '=', status)
    .where('user_name', '=', 'alice'),
);
const countTwice = compiled((db, id: string) =>
  db
    .selectFrom('access_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.or([eb('access_key_id', '=', id), eb('secret', '=', id)]))
    .where('access_key_id', '=', id),
);

for (const backend of BACKENDS) {
  test(`compiled queries bind each call's arguments (${backend})`, async () => {
    const store = await openTestStore(backend);
    try {
      const db = (store as unknown as { db: Kysely<DB> }).db;
      for (const [id, user, status] of [
        ['AKIAALICE1', 'alice', 'Active'],
        ['AKIAALICE2', 'alice', 'Inactive'],
        ['AKIABOB001', 'bob', 'Active'],
      ] as const) {
        await store.identities.putAccessKey({ accessKeyId: id, secretAccessKey: `s-${id}`, userName: user, status, createDate: new Date(0) });
      }
      assert.deepEqual(await byIdAndStatus(db, 'AKIAALICE1', 'Active'), [{ access_key_id: 'AKIAALICE1', status: 'Active' }]);
      assert.deepEqual(await byIdAndStatus(db, 'AKIAALICE2', 'Inactive'), [{ access_key_id: 'AKIAALICE2', status: 'Inactive' }]);
      assert.deepEqual(await byIdAndStatus(db, 'AKIAALICE2', 'Active'), []);
      // the first build's constant (user_name = 'alice') stays: bob's key is not found
      assert.deepEqual(await byIdAndStatus(db, 'AKIABOB001', 'Active'), []);
      // an argument used twice fills both of its places
      assert.equal(Number((await countTwice(db, 'AKIABOB001'))[0]!.n), 1);
      assert.equal(Number((await countTwice(db, 'AKIANOBODY'))[0]!.n), 0);
      // inside a transaction it runs on the transaction's connection and sees its uncommitted row
      const inside = await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('access_keys')
          .values({ access_key_id: 'AKIATRX001', secret: 'x', user_name: 'alice', account_id: store.accountId, status: 'Active', create_date: 0 })
          .execute();
        return byIdAndStatus(trx as unknown as Kysely<DB>, 'AKIATRX001', 'Active');
      });
      assert.deepEqual(inside, [{ access_key_id: 'AKIATRX001', status: 'Active' }]);
    } finally {
      await store.close();
    }
  });
}

test('a builder whose argument shapes the SQL fails at its first call', async () => {
  const store = await openTestStore('sqlite');
  try {
    const db = (store as unknown as { db: Kysely<DB> }).db;
    const byColumn = compiled((db, column: string) => db.selectFrom('access_keys').select(column as 'status'));
    await assert.rejects(byColumn(db, 'status'), /every argument must be a plain parameter/);
    const unused = compiled((db, _id: string) => db.selectFrom('access_keys').select('status'));
    await assert.rejects(unused(db, 'AKIAALICE1'), /every argument must be a plain parameter/);
  } finally {
    await store.close();
  }
});
