/**
 * Log events: PutLogEvents, GetLogEvents, FilterLogEvents
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html and
 * the pages of GetLogEvents and FilterLogEvents); docs/logs.md#log-events. AWS's CloudTrail does not
 * record these calls as management events (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls_cwl.html);
 * startrail records every call, so they are data events on the log group (AWS::Logs::LogGroup),
 * kept out of Event history and delivered to trails whose selectors ask for them.
 */
import type { LogPosition, StoredLogEvent } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { groupResource, onGroup, onStream } from './access.ts';
import { invalidParameter, streamNotFound } from './errors.ts';
import { FilterPatternError, matchFilterPattern, parseFilterPattern } from './filter-pattern/index.ts';
import { findGroup } from './groups.ts';
import { appendBatch, checkBatch } from './ingest-core.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { groupOfCall } from './streams.ts';
import { decodeToken, encodeToken, eventId, parsePositionToken, positionToken, sequenceToken } from './tokens.ts';

const scopeOf = (ctx: OperationContext) => ({ accountId: ctx.accountId, region: ctx.region });
/** A response holds at most 10,000 events or 1 MB of messages (GetLogEvents, FilterLogEvents). */
const MAX_EVENTS = 10_000;
const MAX_RESPONSE_BYTES = 1_048_576;
/** FilterLogEvents reads at most this many events per call; a page cut short by it still has a nextToken, as AWS's can be empty. */
const SCAN_BUDGET = 50_000;
const SCAN_BATCH = 1_000;
const END_OF_TIME = Number.MAX_SAFE_INTEGER;
/** A time the caller sent, kept within what every backend's bigint and JavaScript's numbers hold exactly. */
const clampTime = (t: number) => Math.min(Math.max(Math.trunc(t), -END_OF_TIME), END_OF_TIME);

/** The events that fit in one response, from the start (forward) or the end (backward). */
function fit<T extends { message: string }>(events: T[], fromEnd: boolean): T[] {
  const list = fromEnd ? [...events].reverse() : events;
  const out: T[] = [];
  let bytes = 0;
  for (const e of list) {
    bytes += Buffer.byteLength(e.message, 'utf8');
    if (bytes > MAX_RESPONSE_BYTES && out.length > 0) break;
    out.push(e);
  }
  return fromEnd ? out.reverse() : out;
}

const isScan = (v: Record<string, unknown>): v is { t: number; s: number } => Number.isSafeInteger(v.t) && Number.isSafeInteger(v.s);

export const eventHandlers = {
  PutLogEvents: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onStream,
    async handler(input, ctx): Promise<Output<'PutLogEvents'>> {
      const group = await findGroup(ctx, input.logGroupName);
      const stream = await ctx.store.logs.getStream(scopeOf(ctx), input.logGroupName, input.logStreamName);
      if (!stream) throw streamNotFound();
      // the sequence token is ignored, as AWS now does: parallel uploads to one stream are all accepted
      const batch = checkBatch(group, input.logEvents, ctx.now.getTime());
      const uploads = await appendBatch(ctx.store, group, input.logStreamName, batch.accepted, ctx.now);
      return { nextSequenceToken: sequenceToken(uploads), ...(batch.rejected ? { rejectedLogEventsInfo: batch.rejected } : {}) };
    },
    resources: (input, _out, ctx) => groupResource(input, ctx),
  },

  GetLogEvents: {
    readOnly: true,
    eventCategory: 'Data',
    authorize: onStream,
    async handler(input, ctx): Promise<Output<'GetLogEvents'>> {
      const group = await groupOfCall(ctx, input);
      if (!(await ctx.store.logs.getStream(scopeOf(ctx), group.name, input.logStreamName))) throw streamNotFound();
      const token = input.nextToken !== undefined ? parsePositionToken(input.nextToken) : undefined;
      const forward = token ? token.direction === 'f' : input.startFromHead === true;
      const limit = input.limit ?? MAX_EVENTS;
      const read = await ctx.store.logs.readStream(scopeOf(ctx), group.name, input.logStreamName, {
        ...(input.startTime !== undefined ? { startTime: clampTime(input.startTime) } : {}),
        ...(input.endTime !== undefined ? { endTime: clampTime(input.endTime) } : {}),
        ...(token ? { from: token.position } : {}),
        direction: forward ? 'forward' : 'backward',
        limit,
      });
      const events = fit(read, !forward);
      const first = events[0];
      const last = events[events.length - 1];
      // past the end AWS answers the token it was given, which is how clients know they are done
      const head: LogPosition = token?.position ?? { timestamp: Math.max(0, clampTime(input.startTime ?? 0)), seq: 0 };
      const tail: LogPosition = token?.position ?? { timestamp: Math.max(0, clampTime(input.endTime ?? END_OF_TIME)), seq: 0 };
      return {
        events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: positionToken('f', last ?? (forward ? head : tail)),
        nextBackwardToken: positionToken('b', first ?? (forward ? head : tail)),
      };
    },
    resources: (input, _out, ctx) => groupResource(input, ctx),
  },

  FilterLogEvents: {
    readOnly: true,
    eventCategory: 'Data',
    authorize: onGroup(),
    async handler(input, ctx): Promise<Output<'FilterLogEvents'>> {
      const group = await groupOfCall(ctx, input);
      if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined)
        throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
      let pattern: ReturnType<typeof parseFilterPattern>;
      try {
        pattern = parseFilterPattern(input.filterPattern ?? '');
      } catch (e) {
        if (e instanceof FilterPatternError) throw invalidParameter(e.message);
        throw e;
      }
      const token = input.nextToken !== undefined ? decodeToken(input.nextToken, isScan) : undefined;
      let from: LogPosition | undefined = token ? { timestamp: token.t, seq: token.s } : undefined;
      const limit = input.limit ?? MAX_EVENTS;
      const found: StoredLogEvent[] = [];
      let scanned = 0;
      let bytes = 0;
      let more = true;
      scan: while (scanned < SCAN_BUDGET) {
        const batch = await ctx.store.logs.readGroup(scopeOf(ctx), group.name, {
          ...(input.logStreamNames ? { streams: input.logStreamNames } : {}),
          ...(input.logStreamNamePrefix ? { streamPrefix: input.logStreamNamePrefix } : {}),
          ...(input.startTime !== undefined ? { startTime: clampTime(input.startTime) } : {}),
          // FilterLogEvents' endTime is inclusive ("events with a timestamp later than this time are not returned")
          ...(input.endTime !== undefined ? { endTime: clampTime(input.endTime) + 1 } : {}),
          ...(from ? { from } : {}),
          limit: SCAN_BATCH,
        });
        for (const e of batch) {
          scanned++;
          from = { timestamp: e.timestamp, seq: e.seq };
          if (!matchFilterPattern(pattern, e.message)) continue;
          found.push(e);
          bytes += Buffer.byteLength(e.message, 'utf8');
          if (found.length >= limit || bytes > MAX_RESPONSE_BYTES) break scan;
        }
        if (batch.length < SCAN_BATCH) {
          more = false;
          break;
        }
      }
      return {
        events: found.map((e) => ({
          logStreamName: e.streamName,
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
          eventId: eventId(e),
        })),
        // no longer supported by AWS since 2020: always empty (API_FilterLogEvents.html)
        searchedLogStreams: [],
        ...(more && from ? { nextToken: encodeToken({ t: from.timestamp, s: from.seq }) } : {}),
      };
    },
    resources: (input, _out, ctx) => groupResource(input, ctx),
  },
} satisfies OperationDefs<Ops, 'PutLogEvents' | 'GetLogEvents' | 'FilterLogEvents'>;
