/**
 * AWS CodeStar (https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html): projects, their tags, team members and resources, user
 * profiles, and the clientRequestToken calls that may be replayed. Every listed table has an
 * auto-increment `seq`: listings page by it (insertion order), so a page boundary stays put while rows
 * are added. Times are epoch ms. `projects.version` is the optimistic-concurrency version.
 */
import type { Migration } from './index.ts';
import { serial } from './index.ts';

export const projects: Migration = {
  name: '003-projects',
  async up(db, dialect) {
    const seq = (name: string) =>
      db.schema.createTable(name).addColumn('seq', serial(dialect), (c) => c.primaryKey().$call((b) => (dialect === 'sqlite' ? b.autoIncrement() : b)));

    await seq('projects')
      .addColumn('id', 'varchar(15)', (c) => c.notNull().unique())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('client_request_token', 'text')
      .addColumn('creator_arn', 'text', (c) => c.notNull())
      .addColumn('state', 'varchar(32)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('source', 'text')
      .execute();

    await seq('project_tags')
      .addColumn('project_id', 'varchar(15)', (c) => c.notNull())
      .addColumn('tag_key', 'text', (c) => c.notNull())
      .addColumn('tag_value', 'text', (c) => c.notNull())
      .addUniqueConstraint('project_tags_uq', ['project_id', 'tag_key'])
      .execute();

    await seq('project_members')
      .addColumn('project_id', 'varchar(15)', (c) => c.notNull())
      .addColumn('user_arn', 'text', (c) => c.notNull())
      .addColumn('project_role', 'varchar(16)', (c) => c.notNull())
      .addColumn('remote_access', 'integer', (c) => c.notNull())
      .addUniqueConstraint('project_members_uq', ['project_id', 'user_arn'])
      .execute();
    await db.schema.createIndex('project_members_user').on('project_members').column('user_arn').execute();

    await seq('project_resources')
      .addColumn('project_id', 'varchar(15)', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addUniqueConstraint('project_resources_uq', ['project_id', 'arn'])
      .execute();

    await seq('user_profiles')
      .addColumn('user_arn', 'varchar(128)', (c) => c.notNull().unique())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('email_address', 'text', (c) => c.notNull())
      .addColumn('ssh_public_key', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('codestar_calls')
      .addColumn('operation', 'varchar(64)', (c) => c.notNull())
      .addColumn('token', 'varchar(256)', (c) => c.notNull())
      .addColumn('input_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('codestar_calls_pk', ['operation', 'token'])
      .execute();
  },
};
