/** Migration 011 on a database made before it: every existing customer managed policy gets its one version, v1, and counts on from there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { randomBytes } from 'node:crypto';
import { KyselyStore } from '../kysely-store.ts';
import { SecretBox } from '../secret-box.ts';
import { MIGRATIONS, migrate } from './index.ts';

test('011 gives existing managed policies their v1 and leaves users and roles without a boundary', async () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  try {
    await migrate(
      db,
      'sqlite',
      MIGRATIONS.filter((m) => m.name < '011'),
    );
    const arn = 'arn:aws:iam::000000000000:policy/old';
    await db
      .insertInto('managed_policies')
      .values({
        arn,
        policy_id: 'ANPAOLD',
        policy_name: 'old',
        path: '/',
        document: '{"old":true}',
        default_version_id: 'v1',
        description: null,
        create_date: Date.parse('2026-01-01T00:00:00Z'),
        update_date: Date.parse('2026-01-01T00:00:00Z'),
        tags: '[]',
      })
      .execute();
    await db
      .insertInto('users')
      .values({ user_id: 'AIDAOLD', user_name: 'old', name_lower: 'old', path: '/', arn: 'arn:aws:iam::000000000000:user/old', create_date: 0, tags: '[]' })
      .execute();
    await migrate(db, 'sqlite');
    const store = new KyselyStore(db, new SecretBox(randomBytes(32)));
    assert.deepEqual(await store.identities.listPolicyVersions(arn), [
      { versionId: 'v1', document: '{"old":true}', createDate: new Date('2026-01-01T00:00:00Z') },
    ]);
    assert.equal(await store.identities.addPolicyVersion(arn, '{"new":true}', new Date('2026-02-01T00:00:00Z'), true), 'v2');
    assert.equal((await store.identities.getManagedPolicy(arn))?.document, '{"new":true}');
    assert.equal((await store.identities.getUser('old'))?.permissionsBoundary, undefined);
  } finally {
    await db.destroy();
  }
});
