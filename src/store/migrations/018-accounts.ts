/**
 * Many accounts (docs/accounts.md#storage): the `accounts` table, AWS Organizations' organizations,
 * memberships and trusted service access, and the account on every IAM and CodeStar row.
 *
 * IAM names are unique per account (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html),
 * so the lower-cased name keys — users.name_lower, roles.name_lower, iam_groups.name_lower and the
 * owner/member names of inline_policies, policy_attachments and iam_group_members — become
 * account-qualified: `<account>/<name lower-cased>` (no IAM name contains `/`). The existing unique
 * constraints then hold per account with no table rebuilt, and a key made in one account can never
 * match a row of another. `account_id` columns serve the per-account listings. Existing rows belong
 * to the configured account (STARTRAIL_ACCOUNT_ID), passed in as `ctx.accountId`. Event history's
 * `events.account_id` becomes the account whose history holds the record: the recipient account of a
 * live call, the importing account of an imported record — so imported records of foreign accounts,
 * shown to the only account until now, stay in that account's history.
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

const QUALIFIED: [table: string, column: string][] = [
  ['users', 'name_lower'],
  ['roles', 'name_lower'],
  ['iam_groups', 'name_lower'],
  ['inline_policies', 'owner_name'],
  ['policy_attachments', 'owner_name'],
  ['iam_group_members', 'group_name'],
  ['iam_group_members', 'user_name'],
];
const ACCOUNT_COLUMN = ['users', 'roles', 'iam_groups', 'managed_policies', 'access_keys', 'policy_attachments', 'projects'];

export const accounts: Migration = {
  name: '018-accounts',
  async up(db, dialect, ctx) {
    const account = ctx.accountId;
    // the qualified keys are 13 characters longer (SQLite does not enforce varchar lengths)
    if (dialect === 'postgres') {
      for (const [table, column] of QUALIFIED) await sql`alter table ${sql.table(table)} alter column ${sql.ref(column)} type varchar(160)`.execute(db);
      await sql`alter table codestar_calls alter column token type varchar(300)`.execute(db);
    }
    await db.schema
      .createTable('accounts')
      .addColumn('account_id', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(50)', (c) => c.notNull())
      .addColumn('email', 'varchar(64)', (c) => c.notNull())
      .addColumn('email_lower', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('organizations')
      .addColumn('org_id', 'varchar(34)', (c) => c.primaryKey())
      .addColumn('arn', 'varchar(200)', (c) => c.notNull())
      .addColumn('feature_set', 'varchar(24)', (c) => c.notNull())
      .addColumn('management_account_id', 'varchar(12)', (c) => c.notNull().unique())
      .addColumn('root_id', 'varchar(34)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('organization_members')
      .addColumn('account_id', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
      .addColumn('parent_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('joined_method', 'varchar(8)', (c) => c.notNull())
      .addColumn('joined_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('organization_members_org').on('organization_members').columns(['org_id', 'parent_id']).execute();
    await db.schema
      .createTable('organization_service_access')
      .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
      .addColumn('service_principal', 'varchar(128)', (c) => c.notNull())
      .addColumn('enabled_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('organization_service_access_pk', ['org_id', 'service_principal'])
      .execute();

    for (const table of ACCOUNT_COLUMN) {
      await db.schema
        .alterTable(table)
        .addColumn('account_id', 'varchar(12)', (c) => c.notNull().defaultTo(account))
        .execute();
    }
    for (const [table, column] of QUALIFIED) {
      await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${`${account}/`} || ${sql.ref(column)}`.execute(db);
    }
    await db.schema.createIndex('users_account').on('users').columns(['account_id', 'name_lower']).execute();
    await db.schema.createIndex('roles_account').on('roles').columns(['account_id', 'name_lower']).execute();
    await db.schema.createIndex('iam_groups_account').on('iam_groups').columns(['account_id', 'name_lower']).execute();
    await db.schema.createIndex('managed_policies_account').on('managed_policies').columns(['account_id', 'policy_name']).execute();
    await db.schema.createIndex('access_keys_account').on('access_keys').columns(['account_id', 'user_name']).execute();
    await db.schema.createIndex('projects_account').on('projects').columns(['account_id', 'seq']).execute();
    // CodeStar's idempotency tokens are per account too
    await sql`update codestar_calls set token = ${`${account}/`} || token`.execute(db);
    await sql`update events set account_id = ${account} where imported = 1 or account_id is null`.execute(db);
  },
};
