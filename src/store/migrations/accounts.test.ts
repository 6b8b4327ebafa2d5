/** Migration 018 on a database made before it: existing IAM rows, projects and imported records belong to the configured account, and keep working. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { randomBytes } from 'node:crypto';
import { KyselyStore } from '../kysely-store.ts';
import { SecretBox } from '../secret-box.ts';
import { MIGRATIONS, migrate } from './index.ts';

const ACCOUNT = '123456789012';

test('018 hands every earlier user, group, role, policy, key, project and imported record to the configured account', async () => {
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  const box = new SecretBox(randomBytes(32));
  try {
    await migrate(
      db,
      'sqlite',
      MIGRATIONS.filter((m) => m.name < '018'),
    );
    // written as the code before 018 wrote them: lower-cased names without an account
    await db
      .insertInto('users')
      .values({ user_id: 'AIDAOLD', user_name: 'Old', name_lower: 'old', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/Old`, create_date: 0, tags: '[]' })
      .execute();
    await db
      .insertInto('iam_groups')
      .values({ group_id: 'AGPAOLD', group_name: 'Devs', name_lower: 'devs', path: '/', arn: `arn:aws:iam::${ACCOUNT}:group/Devs`, create_date: 0 })
      .execute();
    await db.insertInto('iam_group_members').values({ group_name: 'devs', user_name: 'old', added_at: 0 }).execute();
    await db.insertInto('inline_policies').values({ owner_kind: 'user', owner_name: 'old', policy_name: 'p', document: '{}' }).execute();
    await db
      .insertInto('policy_attachments')
      .values({ owner_kind: 'group', owner_name: 'devs', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })
      .execute();
    await db
      .insertInto('access_keys')
      .values({ access_key_id: 'AKIAOLD', secret: box.seal('s'), user_name: 'Old', status: 'Active', create_date: 0 })
      .execute();
    await db
      .insertInto('events')
      .values({
        event_id: 'imp',
        content_key: 'k1',
        event_time: 0,
        added_at: 0,
        imported: 1,
        account_id: '999999999999',
        region: 'us-east-1',
        record: '{"eventID":"imp","recipientAccountId":"999999999999"}',
        data: 0,
      })
      .execute();
    await migrate(db, 'sqlite', MIGRATIONS, { accountId: ACCOUNT });
    const store = new KyselyStore(db, box, async () => {}, false, undefined, ACCOUNT);
    const ids = store.identities;
    assert.equal((await ids.getUser('OLD'))?.userId, 'AIDAOLD');
    assert.deepEqual(
      (await ids.listGroupsForUser('old')).map((g) => g.groupName),
      ['Devs'],
    );
    assert.equal((await ids.getInlinePolicy('user', 'Old', 'p'))?.document, '{}');
    assert.deepEqual(await ids.listAttachedPolicies('group', 'Devs'), ['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    assert.equal((await ids.getAccessKey('AKIAOLD'))?.accountId, ACCOUNT);
    assert.equal((await store.events.get('imp'))?.eventId, 'imp', "an earlier import stays in the configured account's history");
    const other = store.forAccount('000000000000').identities;
    assert.equal(await other.getUser('old'), undefined);
    assert.deepEqual(await other.listUsers({ limit: 10 }), []);
  } finally {
    await db.destroy();
  }
});
