/**
 * IAM groups and their members, and permissions boundaries of users and roles
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html ;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html). Group inline
 * policies and attachments live in `inline_policies` and `policy_attachments` with owner kind `group`.
 */
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
  },
};
