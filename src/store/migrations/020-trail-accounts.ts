/**
 * Trails of many accounts (docs/accounts.md#trails): a digest chain and the files waiting for its
 * digest belong to one account as well as one region. A trail's own chains are its account's; an
 * organization trail keeps a chain per member account and region, under that account's
 * `AWSLogs/<o-id>/<account>/CloudTrail-Digest/<region>/` path
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html),
 * so the chain also keeps the organization id its keys were written under. Existing chains and files
 * belong to the configured account (`ctx.accountId`), the only one that could have had trails.
 * `trail_chains`' primary key gains the account, so the (small) table is rebuilt on both dialects.
 */
import { sql } from 'kysely';
import type { Migration } from './index.ts';

export const trailAccounts: Migration = {
  name: '020-trail-accounts',
  async up(db, _dialect, ctx) {
    const account = ctx.accountId;
    await db.schema
      .createTable('trail_chains_v2')
      .addColumn('session_id', 'bigint', (c) => c.notNull())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('period_start', 'bigint', (c) => c.notNull())
      .addColumn('previous', 'text')
      .addPrimaryKeyConstraint('trail_chains_v2_pk', ['session_id', 'account_id', 'region'])
      .execute();
    await sql`insert into trail_chains_v2 (session_id, account_id, region, organization_id, period_start, previous)
      select session_id, ${account}, region, null, period_start, previous from trail_chains`.execute(db);
    await db.schema.dropTable('trail_chains').execute();
    await db.schema.alterTable('trail_chains_v2').renameTo('trail_chains').execute();

    await db.schema
      .alterTable('trail_log_files')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull().defaultTo(account))
      .execute();
    await db.schema.dropIndex('trail_log_files_session').execute();
    await db.schema.createIndex('trail_log_files_session').on('trail_log_files').columns(['session_id', 'account_id', 'region', 'delivered_at']).execute();
  },
};
