/**
 * IAM groups and their members, permissions boundaries of users and roles, and managed policy versions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html ;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html ;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html). Group inline
 * policies and attachments live in `inline_policies` and `policy_attachments` with owner kind `group`.
 * `managed_policies.document` stays the default version's text (what evaluation reads); every version,
 * the default one included, is a row of `policy_versions`; `last_version` numbers the next one
 * (version ids are never reused).
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

export const iamGroups: Migration = {
  name: '011-iam-groups',
  async up(db) {
    await db.schema
      .createTable('iam_groups')
      .addColumn('group_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('name_lower', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('arn', 'varchar(2048)', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    // members by the lower-cased names, as inline policies and attachments are keyed
    await db.schema
      .createTable('iam_group_members')
      .addColumn('group_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('user_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_group_members_pk', ['group_name', 'user_name'])
      .execute();
    await db.schema.createIndex('iam_group_members_user').on('iam_group_members').column('user_name').execute();
    await db.schema.alterTable('users').addColumn('permissions_boundary', 'varchar(2048)').execute();
    await db.schema.alterTable('roles').addColumn('permissions_boundary', 'varchar(2048)').execute();
    await db.schema
      .createTable('policy_versions')
      .addColumn('policy_arn', 'varchar(2048)', (c) => c.notNull())
      .addColumn('version_id', 'varchar(16)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('policy_versions_pk', ['policy_arn', 'version_id'])
      .execute();
    await db.schema
      .alterTable('managed_policies')
      .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    // existing policies have one version, v1, dated as the policy
    await sql`insert into policy_versions (policy_arn, version_id, document, create_date)
      select arn, default_version_id, document, create_date from managed_policies`.execute(db);
  },
};
