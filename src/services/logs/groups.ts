/**
 * Log groups (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
 * and the pages of DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy);
 * docs/logs.md#log-groups. CloudTrail records them as management events without resources, as AWS does.
 */
import type { LogGroupRecord } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onGroup } from './access.ts';
import { deletionProtected, groupExists, groupNotFound, invalidParameter } from './errors.ts';
import type { LogGroup, Operations as Ops, Output } from './model.generated.ts';
import { groupArn, groupNameOf, RETENTION_DAYS } from './names.ts';
import { decodeToken, encodeToken } from './tokens.ts';

export const MAX_TAGS = 50;

const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** The group the call names, or ResourceNotFoundException. */
export async function findGroup(ctx: OperationContext, name: string): Promise<LogGroupRecord> {
  const g = await ctx.store.logs.getGroup(scopeOf(ctx), name);
  if (!g) throw groupNotFound();
  return g;
}

/** A group as DescribeLogGroups answers it (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_LogGroup.html). */
export function logGroupOut(g: LogGroupRecord): LogGroup {
  const arn = groupArn(g.region, g.accountId, g.name);
  return {
    logGroupName: g.name,
    creationTime: g.createdAt,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: g.metricFilterCount,
    arn: `${arn}:*`,
    storedBytes: g.storedBytes,
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: arn,
    ...(g.deletionProtection ? { deletionProtectionEnabled: true } : {}),
  };
}

/** AWS's enum message for a retention period it does not offer. */
function checkRetention(days: number): void {
  if (!(RETENTION_DAYS as readonly number[]).includes(days))
    throw invalidParameter(
      `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`,
    );
}

const isPage = (v: Record<string, unknown>): v is { after: string } => typeof v.after === 'string';

export const groupHandlers = {
  CreateLogGroup: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'CreateLogGroup'>> {
      // names under aws/ belong to AWS services (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html)
      if (/^aws\//i.test(input.logGroupName)) throw invalidParameter('Log groups starting with AWS/ are reserved for AWS.');
      // more than 50 tags is a constraint violation of the model's Tags map (InvalidParameterException)
      const tags = input.tags ?? {};
      const created = await ctx.store.logs.createGroup({
        ...scopeOf(ctx),
        name: input.logGroupName,
        createdAt: ctx.now.getTime(),
        ...(input.kmsKeyId !== undefined ? { kmsKeyId: input.kmsKeyId } : {}),
        logGroupClass: input.logGroupClass ?? 'STANDARD',
        deletionProtection: input.deletionProtectionEnabled === true,
        tags,
        storedBytes: 0,
        metricFilterCount: 0,
      });
      if (!created) throw groupExists();
      return {};
    },
  },

  DeleteLogGroup: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'DeleteLogGroup'>> {
      const g = await findGroup(ctx, input.logGroupName);
      if (g.deletionProtection) throw deletionProtected();
      await ctx.store.logs.deleteGroup(scopeOf(ctx), input.logGroupName);
      return {};
    },
  },

  DescribeLogGroups: {
    readOnly: true,
    authorize: (_input, ctx) => ({ resource: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:*` }),
    async handler(input, ctx): Promise<Output<'DescribeLogGroups'>> {
      if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined)
        throw invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
      if (input.logGroupIdentifiers) {
        // named groups (names or ARNs, at most 50 by the model): those that exist, by name
        const found: LogGroupRecord[] = [];
        for (const id of new Set(input.logGroupIdentifiers.map(groupNameOf))) {
          const g = await ctx.store.logs.getGroup(scopeOf(ctx), id);
          if (g) found.push(g);
        }
        return { logGroups: found.sort((a, b) => (a.name < b.name ? -1 : 1)).map(logGroupOut) };
      }
      const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isPage).after : undefined;
      const limit = input.limit ?? 50;
      const rows = await ctx.store.logs.listGroups(scopeOf(ctx), {
        ...(input.logGroupNamePrefix ? { prefix: input.logGroupNamePrefix } : {}),
        ...(input.logGroupNamePattern ? { pattern: input.logGroupNamePattern } : {}),
        ...(input.logGroupClass ? { logGroupClass: input.logGroupClass } : {}),
        ...(after !== undefined ? { after } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        logGroups: page.map(logGroupOut),
        ...(rows.length > limit && last ? { nextToken: encodeToken({ after: last.name }) } : {}),
      };
    },
  },

  PutRetentionPolicy: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'PutRetentionPolicy'>> {
      checkRetention(input.retentionInDays);
      if (!(await ctx.store.logs.updateGroup(scopeOf(ctx), input.logGroupName, { retentionInDays: input.retentionInDays }))) throw groupNotFound();
      return {};
    },
  },

  DeleteRetentionPolicy: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'DeleteRetentionPolicy'>> {
      if (!(await ctx.store.logs.updateGroup(scopeOf(ctx), input.logGroupName, { retentionInDays: null }))) throw groupNotFound();
      return {};
    },
  },
} satisfies OperationDefs<Ops, 'CreateLogGroup' | 'DeleteLogGroup' | 'DescribeLogGroups' | 'PutRetentionPolicy' | 'DeleteRetentionPolicy'>;
