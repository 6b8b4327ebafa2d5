/**
 * AWS Organizations' organizational units and CreateAccount requests (docs/organizations.md#storage).
 * An OU sits under the root or another OU (`parent_id`); its name is unique among its siblings, as
 * AWS refuses a duplicate (DuplicateOrganizationalUnitException). A CreateAccount request is written
 * IN_PROGRESS in the transaction that acknowledges CreateAccount and completed later
 * (SUCCEEDED with the account id, or FAILED with a reason), so an acknowledged request survives a crash.
 */
import type { Migration } from './index.ts';

export const organizations: Migration = {
  name: '019-organizations',
  async up(db) {
    await db.schema
      .createTable('organizational_units')
      .addColumn('ou_id', 'varchar(68)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
      .addColumn('parent_id', 'varchar(100)', (c) => c.notNull())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('organizational_units_parent').on('organizational_units').columns(['org_id', 'parent_id', 'name']).execute();
    await db.schema
      .createTable('create_account_requests')
      .addColumn('request_id', 'varchar(68)', (c) => c.primaryKey())
      .addColumn('org_id', 'varchar(34)', (c) => c.notNull())
      .addColumn('account_name', 'varchar(50)', (c) => c.notNull())
      .addColumn('email', 'varchar(64)', (c) => c.notNull())
      .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('state', 'varchar(16)', (c) => c.notNull())
      .addColumn('failure_reason', 'varchar(64)')
      .addColumn('account_id', 'varchar(12)')
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .execute();
    await db.schema.createIndex('create_account_requests_org').on('create_account_requests').columns(['org_id', 'requested_at']).execute();
    await db.schema.createIndex('create_account_requests_state').on('create_account_requests').columns(['state', 'requested_at']).execute();
  },
};
