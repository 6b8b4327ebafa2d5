/**
 * The metric-filter and resource-policy half of KyselyLogStore (contracts/logs.ts), by account,
 * Region and name.
 */
import type { Kysely, Transaction } from 'kysely';
import type { LogResourcePolicy, LogScope, MetricFilterRecord } from './contracts/logs.ts';
import type { DB, Row } from './schema.ts';

type Db = Kysely<DB> | Transaction<DB>;
const PREFIX_END = '\u{10ffff}';

function filterOf(r: Row<'logs_metric_filters'>): MetricFilterRecord {
  return {
    groupName: r.group_name,
    filterName: r.name,
    filterPattern: r.pattern,
    transformations: JSON.parse(r.transformations) as MetricFilterRecord['transformations'],
    createdAt: Number(r.created_at),
    extra: JSON.parse(r.extra) as Record<string, unknown>,
  };
}

export async function putMetricFilter(db: Db, scope: LogScope, f: MetricFilterRecord): Promise<void> {
  await db
    .insertInto('logs_metric_filters')
    .values({
      account_id: scope.accountId,
      region: scope.region,
      group_name: f.groupName,
      name: f.filterName,
      pattern: f.filterPattern,
      transformations: JSON.stringify(f.transformations),
      extra: JSON.stringify(f.extra),
      created_at: f.createdAt,
    })
    .onConflict((oc) =>
      oc.columns(['account_id', 'region', 'group_name', 'name']).doUpdateSet({
        pattern: f.filterPattern,
        transformations: JSON.stringify(f.transformations),
        extra: JSON.stringify(f.extra),
      }),
    )
    .execute();
}

export async function listMetricFilters(
  db: Db,
  scope: LogScope,
  opts: { group?: string; prefix?: string; metricName?: string; metricNamespace?: string; after?: { group: string; name: string }; limit: number },
): Promise<MetricFilterRecord[]> {
  let q = db.selectFrom('logs_metric_filters').selectAll().where('account_id', '=', scope.accountId).where('region', '=', scope.region);
  if (opts.group !== undefined) q = q.where('group_name', '=', opts.group);
  if (opts.prefix) q = q.where('name', '>=', opts.prefix).where('name', '<', `${opts.prefix}${PREFIX_END}`);
  const after = opts.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('group_name', 'name'), '>', eb.tuple(after.group, after.name)));
  const rows = await q.orderBy('group_name').orderBy('name').execute();
  const out: MetricFilterRecord[] = [];
  for (const r of rows) {
    const f = filterOf(r);
    // metric name and namespace live in the transformations' JSON: matched here
    if (opts.metricName !== undefined && !f.transformations.some((t) => t.metricName === opts.metricName)) continue;
    if (opts.metricNamespace !== undefined && !f.transformations.some((t) => t.metricNamespace === opts.metricNamespace)) continue;
    out.push(f);
    if (out.length === opts.limit) break;
  }
  return out;
}

export async function deleteMetricFilter(db: Db, scope: LogScope, group: string, name: string): Promise<boolean> {
  const r = await db
    .deleteFrom('logs_metric_filters')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('group_name', '=', group)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function putResourcePolicy(db: Db, scope: LogScope, p: LogResourcePolicy): Promise<void> {
  await db
    .insertInto('logs_resource_policies')
    .values({ account_id: scope.accountId, region: scope.region, name: p.policyName, document: p.policyDocument, updated_at: p.lastUpdatedTime })
    .onConflict((oc) => oc.columns(['account_id', 'region', 'name']).doUpdateSet({ document: p.policyDocument, updated_at: p.lastUpdatedTime }))
    .execute();
}

export async function listResourcePolicies(db: Db, scope: LogScope): Promise<LogResourcePolicy[]> {
  const rows = await db
    .selectFrom('logs_resource_policies')
    .selectAll()
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .orderBy('name')
    .execute();
  return rows.map((r) => ({ policyName: r.name, policyDocument: r.document, lastUpdatedTime: Number(r.updated_at) }));
}

export async function deleteResourcePolicy(db: Db, scope: LogScope, name: string): Promise<boolean> {
  const r = await db
    .deleteFrom('logs_resource_policies')
    .where('account_id', '=', scope.accountId)
    .where('region', '=', scope.region)
    .where('name', '=', name)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
