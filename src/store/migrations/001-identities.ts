/** IAM identities: users, access keys, roles, inline and customer managed policies, attachments, STS sessions. */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const identities: Migration = {
  name: '001-identities',
  async up(db, dialect) {
    await db.schema
      .createTable('kv')
      .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('users')
      .addColumn('user_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('user_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('name_lower', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('arn', 'varchar(2048)', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('access_keys')
      .addColumn('access_key_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('user_name', 'varchar(128)')
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('access_keys_user').on('access_keys').column('user_name').execute();
    await db.schema
      .createTable('roles')
      .addColumn('role_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('role_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('name_lower', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('arn', 'varchar(2048)', (c) => c.notNull())
      .addColumn('trust_policy', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('max_session_duration', 'integer', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('inline_policies')
      .addColumn('owner_kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('owner_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('inline_policies_pk', ['owner_kind', 'owner_name', 'policy_name'])
      .execute();
    await db.schema
      .createTable('managed_policies')
      .addColumn('arn', 'varchar(2048)', (c) => c.primaryKey())
      .addColumn('policy_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('default_version_id', 'varchar(16)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('update_date', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('policy_attachments')
      .addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)))
      .addColumn('owner_kind', 'varchar(8)', (c) => c.notNull())
      .addColumn('owner_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('policy_arn', 'varchar(2048)', (c) => c.notNull())
      .addUniqueConstraint('policy_attachments_uq', ['owner_kind', 'owner_name', 'policy_arn'])
      .execute();
    await db.schema.createIndex('policy_attachments_arn').on('policy_attachments').column('policy_arn').execute();
    await db.schema
      .createTable('sessions')
      .addColumn('access_key_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('expiration', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_expiration').on('sessions').column('expiration').execute();
  },
};
