/**
 * Lake queries (docs/lake.md#queries; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartQuery.html):
 * StartQuery checks the statement (one SELECT, known functions, every FROM an event data store of the
 * caller's account and Region that is not pending deletion, every column known — by a dry run over one
 * empty row per store) and queues it; lake/runner.ts runs it. DescribeQuery, GetQueryResults (rows of
 * {column: value} maps, every value a string; pages of up to 1000), ListQueries (by store, time range,
 * status), CancelQuery (QUEUED or RUNNING → CANCELLED). At most 10 queries of an account are queued or
 * running at once. Queries and their results are kept 7 days after they end.
 */
import type { LakeQuery, LakeQueryStatus } from '../../../store/types.ts';
import type { OperationContext, OperationDefs } from '../../types.ts';
import type { Operations as Ops, Output } from '../model.generated.ts';
import {
  inactiveEventDataStore,
  inactiveQuery,
  invalidDateRange,
  invalidMaxResults,
  invalidNextToken,
  invalidParameter,
  invalidQueryStatement,
  invalidQueryStatus,
  invalidS3BucketName,
  invalidS3Prefix,
  maxConcurrentQueries,
  queryIdNotFound,
  s3BucketDoesNotExist,
} from '../errors.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { findStore, storeResource } from './stores.ts';
import { QueryError, runQuery } from './sql/engine.ts';
import { parseQuery } from './sql/parse.ts';
import { LAKE_COLUMNS, Struct } from './sql/values.ts';

export const MAX_CONCURRENT_QUERIES = 10;
/** Results are kept 7 days (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-results.html) */
export const RESULTS_KEPT_MS = 7 * 24 * 3600 * 1000;
const STATUSES: LakeQueryStatus[] = ['QUEUED', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const QUERY_ID = /^[a-f0-9-]{36}$/;
const S3_URI = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(\/.*)?$/;

/** The S3 bucket and prefix a DeliveryS3Uri names. */
export function parseDeliveryUri(uri: string): { bucket: string; prefix: string } {
  const m = S3_URI.exec(uri);
  if (!m) throw invalidS3BucketName(uri);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix.includes('//')) throw invalidS3Prefix(prefix);
  return { bucket: m[1]!, prefix };
}

/** A query of the caller's account, or QueryIdNotFoundException; checks the (deprecated) EventDataStore it names. */
async function findQuery(ctx: OperationContext, id: unknown, storeRef?: string): Promise<LakeQuery> {
  const value = String(id ?? '');
  if (storeRef !== undefined) await findStore(ctx, storeRef);
  if (!QUERY_ID.test(value)) throw queryIdNotFound(value);
  const q = await ctx.store.lake.getQuery(value);
  if (!q || q.accountId !== ctx.accountId || q.region !== ctx.region) throw queryIdNotFound(value);
  if (storeRef !== undefined && !q.stores.some((s) => storeRef === s || storeRef.endsWith(`/${s}`))) throw queryIdNotFound(value);
  return q;
}

const EMPTY_ROW = new Struct(new Map(LAKE_COLUMNS.map((c) => [c, null])));

/** Parses, resolves the stores, and dry-runs the statement over one empty row per store: unknown columns and misuse fail here. */
async function checkStatement(ctx: OperationContext, statement: string): Promise<string[]> {
  const parsed = parseQuery(statement);
  const ids: string[] = [];
  for (const ref of parsed.stores) {
    const s = await findStore(ctx, ref);
    if (s.deletedAt) throw inactiveEventDataStore(s.arn);
    ids.push(s.id);
  }
  try {
    runQuery(parsed.ast, new Map(ids.map((id) => [id, [EMPTY_ROW]])), ctx.now.getTime());
  } catch (e) {
    if (e instanceof QueryError) throw invalidQueryStatement(e.message);
    throw e;
  }
  return ids;
}

function readPageToken(token: string | undefined, queryId: string): number {
  if (token === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; q?: unknown };
    if (t.q === queryId && typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0) return t.o;
  } catch {
    // not ours
  }
  throw invalidNextToken();
}
const writePageToken = (offset: number, queryId: string) => Buffer.from(JSON.stringify({ o: offset, q: queryId })).toString('base64url');

export function queries(deps: CloudTrailDeps) {
  return {
    StartQuery: {
      readOnly: false,
      // cloudtrail:StartQuery on each event data store the statement reads
      authorize: async (input, ctx) => {
        try {
          const ids = parseQuery(String(input.QueryStatement ?? '')).stores;
          return { resource: ids.length ? ids.map((id) => storeResource(id, ctx)) : '*' };
        } catch {
          return { resource: '*' };
        }
      },
      async handler(input, ctx): Promise<Output<'StartQuery'>> {
        if (input.QueryAlias !== undefined || input.QueryParameters !== undefined)
          throw invalidParameter('QueryAlias and QueryParameters are used only by the CloudTrail Lake dashboards, which startrail does not serve.');
        if (input.EventDataStoreOwnerAccountId !== undefined && input.EventDataStoreOwnerAccountId !== ctx.accountId)
          throw invalidParameter('EventDataStoreOwnerAccountId must be your own account: startrail does not share event data stores.');
        if (input.QueryStatement === undefined) throw invalidParameter('StartQuery requires a QueryStatement.');
        const stores = await checkStatement(ctx, input.QueryStatement);
        if (input.DeliveryS3Uri !== undefined) {
          const { bucket } = parseDeliveryUri(input.DeliveryS3Uri);
          const state = await deps
            .target(bucket)
            .bucket(bucket)
            .catch(() => ({ exists: false }));
          if (!state.exists) throw s3BucketDoesNotExist(bucket);
        }
        if ((await ctx.store.lake.countActiveQueries(ctx.accountId)) >= MAX_CONCURRENT_QUERIES) throw maxConcurrentQueries();
        const id = ctx.ids.uuid();
        await ctx.store.lake.createQuery({
          id,
          accountId: ctx.accountId,
          region: ctx.region,
          statement: input.QueryStatement,
          stores,
          status: 'QUEUED',
          createdAt: ctx.now,
          ...(input.DeliveryS3Uri !== undefined ? { deliveryS3Uri: input.DeliveryS3Uri, deliveryStatus: 'PENDING' } : {}),
        });
        return { QueryId: id };
      },
    },

    DescribeQuery: {
      readOnly: true,
      authorize: (input, ctx) => ({ resource: input.EventDataStore ? storeResource(input.EventDataStore, ctx) : '*' }),
      async handler(input, ctx): Promise<Output<'DescribeQuery'>> {
        if (input.QueryId === undefined) throw invalidParameter('DescribeQuery requires a QueryId.');
        const q = await findQuery(ctx, input.QueryId, input.EventDataStore);
        return {
          QueryId: q.id,
          QueryString: q.statement,
          QueryStatus: q.status,
          QueryStatistics: {
            EventsMatched: q.stats?.eventsMatched ?? 0,
            EventsScanned: q.stats?.eventsScanned ?? 0,
            BytesScanned: q.stats?.bytesScanned ?? 0,
            ExecutionTimeInMillis: q.stats?.executionTimeInMillis ?? 0,
            CreationTime: q.createdAt,
          },
          ...(q.errorMessage ? { ErrorMessage: q.errorMessage } : {}),
          ...(q.deliveryS3Uri ? { DeliveryS3Uri: q.deliveryS3Uri } : {}),
          ...(q.deliveryStatus ? { DeliveryStatus: q.deliveryStatus as 'SUCCESS' } : {}),
        };
      },
    },

    GetQueryResults: {
      readOnly: true,
      authorize: (input, ctx) => ({ resource: input.EventDataStore ? storeResource(input.EventDataStore, ctx) : '*' }),
      async handler(input, ctx): Promise<Output<'GetQueryResults'>> {
        const max = input.MaxQueryResults ?? 1000;
        if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidMaxResults(max);
        const q = await findQuery(ctx, input.QueryId, input.EventDataStore);
        const offset = readPageToken(input.NextToken, q.id);
        const base = { QueryStatus: q.status, ...(q.errorMessage ? { ErrorMessage: q.errorMessage } : {}) };
        const result = q.status === 'FINISHED' ? await ctx.store.lake.readResults(q.id, offset, max) : undefined;
        if (!result)
          return { ...base, QueryStatistics: { ResultsCount: 0, TotalResultsCount: 0, BytesScanned: q.stats?.bytesScanned ?? 0 }, QueryResultRows: [] };
        if (offset > result.total) throw invalidNextToken();
        const next = offset + max < result.total ? writePageToken(offset + max, q.id) : undefined;
        return {
          ...base,
          QueryStatistics: { ResultsCount: result.rows.length, TotalResultsCount: result.total, BytesScanned: q.stats?.bytesScanned ?? 0 },
          QueryResultRows: result.rows.map((row) => row.map((v, i) => ({ [result.columns[i] ?? `_col${i}`]: v }))),
          ...(next ? { NextToken: next } : {}),
        };
      },
    },

    ListQueries: {
      readOnly: true,
      authorize: (input, ctx) => ({ resource: storeResource(input.EventDataStore, ctx) }),
      async handler(input, ctx): Promise<Output<'ListQueries'>> {
        const s = await findStore(ctx, input.EventDataStore);
        const max = input.MaxResults ?? 1000;
        if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidMaxResults(max);
        if (input.StartTime && input.EndTime && input.StartTime.getTime() > input.EndTime.getTime()) throw invalidDateRange();
        if (input.QueryStatus !== undefined && !STATUSES.includes(input.QueryStatus)) throw invalidQueryStatus(String(input.QueryStatus));
        const all = (await ctx.store.lake.listQueries(ctx.accountId)).filter(
          (q) =>
            q.region === ctx.region &&
            q.stores.includes(s.id) &&
            (!input.StartTime || q.createdAt.getTime() >= input.StartTime.getTime()) &&
            (!input.EndTime || q.createdAt.getTime() <= input.EndTime.getTime()) &&
            (!input.QueryStatus || q.status === input.QueryStatus),
        );
        let start = 0;
        if (input.NextToken !== undefined) {
          start = all.findIndex((q) => q.id === input.NextToken);
          if (start < 0) throw invalidNextToken();
        }
        const page = all.slice(start, start + max);
        const next = all[start + max];
        return { Queries: page.map((q) => ({ QueryId: q.id, QueryStatus: q.status, CreationTime: q.createdAt })), ...(next ? { NextToken: next.id } : {}) };
      },
    },

    CancelQuery: {
      readOnly: false,
      authorize: (input, ctx) => ({ resource: input.EventDataStore ? storeResource(input.EventDataStore, ctx) : '*' }),
      async handler(input, ctx): Promise<Output<'CancelQuery'>> {
        const q = await findQuery(ctx, input.QueryId, input.EventDataStore);
        if (!(await ctx.store.lake.setQueryStatus(q.id, ['QUEUED', 'RUNNING'], 'CANCELLED', ctx.now))) {
          const now = await ctx.store.lake.getQuery(q.id);
          throw inactiveQuery(q.id, now?.status ?? q.status);
        }
        return { QueryId: q.id, QueryStatus: 'CANCELLED' };
      },
    },
  } satisfies OperationDefs<Ops, 'StartQuery' | 'DescribeQuery' | 'GetQueryResults' | 'ListQueries' | 'CancelQuery'>;
}
