/**
 * What PutLogEvents and putServiceLogEvents share: the batch rules of
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html —
 * events more than 14 days old, or older than the group's retention, and events more than 2 hours
 * in the future are rejected while the rest are stored; the valid events may span at most 24 hours
 * and must be in chronological order — then the append and the group's metric filters, in the
 * caller's transaction.
 */
import type { LogGroupRecord, Store } from '../../store/types.ts';
import { applyMetricFilters } from './apply.ts';
import { invalidParameter } from './errors.ts';
import type { RejectedLogEventsInfo } from './model.generated.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Sum of UTF-8 message bytes plus 26 per event. */
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD = 26;

export interface CheckedBatch {
  accepted: { timestamp: number; message: string }[];
  rejected?: RejectedLogEventsInfo;
}

/** The batch rules; throws InvalidParameterException for a batch AWS refuses whole. */
export function checkBatch(group: LogGroupRecord, events: { timestamp: number; message: string }[], now: number): CheckedBatch {
  let bytes = 0;
  for (const e of events) bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD;
  if (bytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < events.length; i++)
    if ((events[i]?.timestamp ?? 0) < (events[i - 1]?.timestamp ?? 0))
      throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  const tooOldBefore = now - 14 * DAY;
  const expiredBefore = group.retentionInDays !== undefined ? now - group.retentionInDays * DAY : Number.NEGATIVE_INFINITY;
  const tooNewAfter = now + 2 * HOUR;
  const rejected: RejectedLogEventsInfo = {};
  const accepted: CheckedBatch['accepted'] = [];
  events.forEach((e, i) => {
    if (e.timestamp < tooOldBefore) rejected.tooOldLogEventEndIndex = i;
    if (e.timestamp < expiredBefore) rejected.expiredLogEventEndIndex = i;
    if (e.timestamp > tooNewAfter && rejected.tooNewLogEventStartIndex === undefined) rejected.tooNewLogEventStartIndex = i;
    if (e.timestamp >= tooOldBefore && e.timestamp >= expiredBefore && e.timestamp <= tooNewAfter)
      accepted.push({ timestamp: e.timestamp, message: e.message });
  });
  const first = accepted[0];
  const last = accepted[accepted.length - 1];
  if (first && last && last.timestamp - first.timestamp > DAY)
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  return { accepted, ...(Object.keys(rejected).length ? { rejected } : {}) };
}

/** Stores the accepted events and applies the group's metric filters; returns the stream's upload count. */
export async function appendBatch(
  tx: Store,
  group: LogGroupRecord,
  stream: string,
  accepted: { timestamp: number; message: string }[],
  now: Date,
): Promise<number> {
  const scope = { accountId: group.accountId, region: group.region };
  const uploads = await tx.logs.appendEvents(scope, group.name, stream, accepted, now.getTime());
  await applyMetricFilters(tx, scope, group.name, accepted, now);
  return uploads;
}
