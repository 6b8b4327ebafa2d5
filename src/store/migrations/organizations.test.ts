/** Migration 019 on a database that already has 020 (made by a build without 019): it applies after, by name, and its tables serve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { KyselyOrganizationStore } from '../accounts.ts';
import type { DB } from '../schema.ts';
import { MIGRATIONS, migrate } from './index.ts';

test('019 is registered before 020 and applies to a database that already ran 020', async () => {
  const names = MIGRATIONS.map((m) => m.name);
  assert.equal(names.indexOf('019-organizations'), names.indexOf('020-trail-accounts') - 1);
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  try {
    await migrate(
      db,
      'sqlite',
      MIGRATIONS.filter((m) => m.name !== '019-organizations'),
    );
    await assert.rejects(db.selectFrom('organizational_units').selectAll().execute());
    await migrate(db, 'sqlite', MIGRATIONS);
    const applied = (await db.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name);
    assert.ok(applied.includes('019-organizations'));
    const orgs = new KyselyOrganizationStore(db as Kysely<DB>);
    await orgs.createAccountRequest({
      id: 'car-12345678',
      orgId: 'o-abcdefghij',
      accountName: 'x',
      email: 'x@example.com',
      roleName: 'OrganizationAccountAccessRole',
      state: 'IN_PROGRESS',
      requestedAt: new Date(0),
    });
    assert.equal((await orgs.getAccountRequest('car-12345678'))?.state, 'IN_PROGRESS');
    assert.equal(await orgs.createUnit({ id: 'ou-ab12-12345678', orgId: 'o-abcdefghij', parentId: 'r-ab12', name: 'Eng', createdAt: new Date(0) }), true);
  } finally {
    await db.destroy();
  }
});
