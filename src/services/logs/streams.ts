/**
 * Log streams (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
 * and the pages of CreateLogStream, DeleteLogStream); docs/logs.md#log-streams.
 */
import type { LogGroupRecord, LogStreamRecord } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { groupOfInput, onGroup, onStream } from './access.ts';
import { deletionProtected, groupNotFound, invalidParameter, streamExists, streamNotFound } from './errors.ts';
import { findGroup } from './groups.ts';
import type { LogStream, Operations as Ops, Output } from './model.generated.ts';
import { streamArn } from './names.ts';
import { decodeToken, encodeToken, sequenceToken } from './tokens.ts';

const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });

/** The group of a call that takes logGroupName or logGroupIdentifier: exactly one of them. */
export async function groupOfCall(ctx: OperationContext, input: { logGroupName?: string; logGroupIdentifier?: string }): Promise<LogGroupRecord> {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined)
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  if (input.logGroupName === undefined && input.logGroupIdentifier === undefined)
    throw invalidParameter('Should provide either a log group name or a log group identifier.');
  const g = await ctx.store.logs.getGroup(scopeOf(ctx), groupOfInput(input));
  if (!g) throw groupNotFound();
  return g;
}

/** A stream as DescribeLogStreams answers it; storedBytes is always 0, as AWS has reported since 2019. */
export function logStreamOut(g: LogGroupRecord, s: LogStreamRecord): LogStream {
  return {
    logStreamName: s.name,
    creationTime: s.createdAt,
    ...(s.firstEventTimestamp !== undefined ? { firstEventTimestamp: s.firstEventTimestamp } : {}),
    ...(s.lastEventTimestamp !== undefined ? { lastEventTimestamp: s.lastEventTimestamp } : {}),
    ...(s.lastIngestionTime !== undefined ? { lastIngestionTime: s.lastIngestionTime } : {}),
    ...(s.uploads > 0 ? { uploadSequenceToken: sequenceToken(s.uploads) } : {}),
    arn: streamArn(g.region, g.accountId, g.name, s.name),
    storedBytes: 0,
  };
}

const isPage = (v: Record<string, unknown>): v is { name: string; time?: number } =>
  typeof v.name === 'string' && (v.time === undefined || Number.isSafeInteger(v.time));

export const streamHandlers = {
  CreateLogStream: {
    readOnly: false,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'CreateLogStream'>> {
      await findGroup(ctx, input.logGroupName);
      const created = await ctx.store.logs.createStream(scopeOf(ctx), input.logGroupName, {
        name: input.logStreamName,
        createdAt: ctx.now.getTime(),
        uploads: 0,
      });
      if (!created) throw streamExists();
      return {};
    },
  },

  DeleteLogStream: {
    readOnly: false,
    authorize: onStream,
    async handler(input, ctx): Promise<Output<'DeleteLogStream'>> {
      // deletion protection "blocks all deletion operations" of the group, its streams' too
      if ((await findGroup(ctx, input.logGroupName)).deletionProtection) throw deletionProtected();
      if (!(await ctx.store.logs.deleteStream(scopeOf(ctx), input.logGroupName, input.logStreamName))) throw streamNotFound();
      return {};
    },
  },

  DescribeLogStreams: {
    readOnly: true,
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'DescribeLogStreams'>> {
      const g = await groupOfCall(ctx, input);
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined)
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isPage) : undefined;
      const limit = input.limit ?? 50;
      const rows = await ctx.store.logs.listStreams(scopeOf(ctx), g.name, {
        ...(input.logStreamNamePrefix ? { prefix: input.logStreamNamePrefix } : {}),
        orderBy,
        descending: input.descending === true,
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return {
        logStreams: page.map((s) => logStreamOut(g, s)),
        ...(rows.length > limit && last ? { nextToken: encodeToken({ name: last.name, time: last.lastEventTimestamp ?? 0 }) } : {}),
      };
    },
  },
} satisfies OperationDefs<Ops, 'CreateLogStream' | 'DeleteLogStream' | 'DescribeLogStreams'>;
