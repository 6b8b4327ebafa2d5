/**
 * Schema migrations, one file per aggregate, applied in order by a small runner that records the
 * applied names in `schema_migrations`. Each migration gets the dialect, so types that differ
 * (auto-increment, big integers) are chosen per dialect.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.ts';
import { identities } from './001-identities.ts';
import { events } from './002-events.ts';
import { projects } from './003-projects.ts';
import { trails } from './004-trails.ts';
import { dataEvents } from './005-data-events.ts';
import { consoleSessions } from './006-console-sessions.ts';
import { dataEventsStream } from './007-data-events-stream.ts';
import { queues } from './008-queues.ts';
import { topics } from './009-topics.ts';
import { bucketNotifications } from './010-bucket-notifications.ts';
import { iamGroups } from './011-iam-groups.ts';
import { eventsRegion } from './012-events-region.ts';
import { recordConsumers } from './013-record-consumers.ts';
import { eventBuses } from './014-event-buses.ts';
import { eventDeliveries } from './015-event-deliveries.ts';
import { logs } from './016-logs.ts';
import { metrics } from './017-metrics.ts';
import { accounts } from './018-accounts.ts';
import { organizations } from './019-organizations.ts';
import { trailAccounts } from './020-trail-accounts.ts';
import { lake } from './021-lake.ts';
import { eventIndexes } from './024-event-indexes.ts';
import { lakeScan } from './025-lake-scan.ts';
import { lakeResults } from './026-lake-results.ts';
import { contentKeyOrder } from './027-content-key-order.ts';
import { projectTagsSeq } from './028-project-tags-seq.ts';

/** What a migration may need to know of the deployment: the configured account, which owns the rows made before accounts existed. */
export interface MigrationContext {
  accountId: string;
}

export interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect, ctx: MigrationContext): Promise<void>;
}

/** The account of a store opened without one: config.ts's default STARTRAIL_ACCOUNT_ID. */
export const DEFAULT_ACCOUNT_ID = '000000000000';

export const MIGRATIONS: Migration[] = [
  identities,
  events,
  projects,
  trails,
  dataEvents,
  consoleSessions,
  dataEventsStream,
  queues,
  topics,
  bucketNotifications,
  iamGroups,
  eventsRegion,
  recordConsumers,
  eventBuses,
  eventDeliveries,
  logs,
  metrics,
  accounts,
  organizations,
  trailAccounts,
  lake,
  eventIndexes,
  lakeScan,
  lakeResults,
  contentKeyOrder,
  projectTagsSeq,
];

export async function migrate(
  db: Kysely<any>,
  dialect: Dialect,
  migrations: Migration[] = MIGRATIONS,
  ctx: MigrationContext = { accountId: DEFAULT_ACCOUNT_ID },
): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('applied_at', 'bigint', (c) => c.notNull())
    .execute();
  const done = new Set((await db.selectFrom('schema_migrations').select('name').execute()).map((r: any) => r.name as string));
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    await db.transaction().execute(async (trx) => {
      await m.up(trx, dialect, ctx);
      await trx.insertInto('schema_migrations').values({ name: m.name, applied_at: Date.now() }).execute();
    });
  }
  void sql;
}

/** Auto-increment primary key column type per dialect. */
export function serial(dialect: Dialect): 'integer' | 'bigserial' {
  return dialect === 'postgres' ? 'bigserial' : 'integer';
}
