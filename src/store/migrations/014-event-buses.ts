/**
 * EventBridge (docs/eventbridge.md). Times are epoch ms; the parts no query filters on are JSON text.
 *   eb_buses             custom buses, and `default` once it was changed (it exists without a row)
 *   eb_rules             one row per rule of a bus; `schedule` set for scheduled rules (the scheduler's scan)
 *   eb_targets           the targets of a rule, by id; `arn` indexed for ListRuleNamesByTarget
 *   eb_tags              tags of buses and rules, by resource ARN
 *   eb_connections       connections; the auth parameters sealed by the store's SecretBox
 *   eb_api_destinations  API destinations and the connection they use
 */
import type { Migration } from './index.ts';

export const eventBuses: Migration = {
  name: '014-event-buses',
  async up(db) {
    await db.schema
      .createTable('eb_buses')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(256)', (c) => c.notNull())
      .addColumn('arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_buses_pk', ['account_id', 'region', 'name'])
      .execute();

    await db.schema
      .createTable('eb_rules')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('bus_name', 'varchar(256)', (c) => c.notNull())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('state', 'varchar(60)', (c) => c.notNull())
      .addColumn('schedule', 'text')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_rules_pk', ['account_id', 'region', 'bus_name', 'name'])
      .execute();
    await db.schema.createIndex('eb_rules_scheduled').on('eb_rules').columns(['schedule']).execute();

    await db.schema
      .createTable('eb_targets')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('bus_name', 'varchar(256)', (c) => c.notNull())
      .addColumn('rule_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_targets_pk', ['account_id', 'region', 'bus_name', 'rule_name', 'id'])
      .execute();
    await db.schema.createIndex('eb_targets_arn').on('eb_targets').columns(['account_id', 'region', 'bus_name', 'arn']).execute();

    await db.schema
      .createTable('eb_tags')
      .addColumn('arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('key', 'varchar(128)', (c) => c.notNull())
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('value', 'varchar(256)', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_tags_pk', ['arn', 'key'])
      .execute();

    await db.schema
      .createTable('eb_connections')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('state', 'varchar(40)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('auth_sealed', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_connections_pk', ['account_id', 'region', 'name'])
      .execute();
    await db.schema.createIndex('eb_connections_arn').on('eb_connections').columns(['arn']).execute();

    await db.schema
      .createTable('eb_api_destinations')
      .addColumn('account_id', 'varchar(12)', (c) => c.notNull())
      .addColumn('region', 'varchar(40)', (c) => c.notNull())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('connection_arn', 'varchar(400)', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('eb_api_destinations_pk', ['account_id', 'region', 'name'])
      .execute();
    await db.schema.createIndex('eb_api_destinations_arn').on('eb_api_destinations').columns(['arn']).execute();
  },
};
