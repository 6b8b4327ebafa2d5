/**
 * LookupEvents: Event history, newest first (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html). All eight attributes
 * match exactly; StartTime/EndTime are inclusive; MaxResults 1–50 (default 50); NextToken is bound
 * to its query. Event history is per Region, as on AWS: a lookup answers the records whose awsRegion is
 * the call's Region (global services' — IAM, STS, console sign-in — are recorded in us-east-1, so they are
 * there; imported records by their awsRegion). Beyond AWS (docs/architecture.md#event-history): several
 * attributes combine with AND, and there is no 2-TPS throttle. EventCategory `insight` answers an empty
 * list: startrail produces no Insights events.
 */
import type { EventQuery, LookupAttributeKey, StoredEvent } from '../../store/types.ts';
import type { OperationContext } from '../types.ts';
import { invalidEventCategory, invalidLookupAttributes, invalidMaxResults, invalidTimeRange } from './errors.ts';
import type { Event, Input, Output } from './model.generated.ts';
import { readToken, writeToken, type TokenQuery } from './next-token.ts';

export type LookupEventsRequest = Input<'LookupEvents'>;

const KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];
const DEFAULT_MAX_RESULTS = 50;
const MAX_VALUE_LENGTH = 2000;

export async function lookupEvents(input: LookupEventsRequest, ctx: OperationContext): Promise<Output<'LookupEvents'>> {
  const limit = input.MaxResults ?? DEFAULT_MAX_RESULTS;
  if (limit < 1 || limit > 50) throw invalidMaxResults(limit);
  const attributes = (input.LookupAttributes ?? []).map(attribute);
  const { StartTime: start, EndTime: end } = input;
  // Before 1970 is outside the possible range; a start after the end is an empty, invalid range.
  if ((start && start.getTime() < 0) || (end && end.getTime() < 0) || (start && end && start.getTime() > end.getTime())) throw invalidTimeRange();
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') throw invalidEventCategory(input.EventCategory);
  const bound: TokenQuery = { attributes, start, end, category: input.EventCategory, region: ctx.region };
  const after = input.NextToken !== undefined ? readToken(input.NextToken, bound) : undefined;
  if (input.EventCategory === 'insight') return { Events: [] };
  const query: EventQuery = { attributes, region: ctx.region, limit, ...(start ? { start } : {}), ...(end ? { end } : {}), ...(after ? { after } : {}) };
  const page = await ctx.store.events.lookup(query);
  return { Events: page.events.map(toEvent), ...(page.next ? { NextToken: writeToken(page.next, bound) } : {}) };
}

function attribute(a: { AttributeKey: string; AttributeValue: string }): EventQuery['attributes'][number] {
  const key = KEYS.find((k) => k === a.AttributeKey);
  if (!key) throw invalidLookupAttributes(`Lookup attribute key ${a.AttributeKey} is not valid. Valid keys are: ${KEYS.join(', ')}.`);
  if (a.AttributeValue === '') throw invalidLookupAttributes(`The value of lookup attribute ${key} must not be empty.`);
  if (weightedLength(a.AttributeValue) > MAX_VALUE_LENGTH) {
    throw invalidLookupAttributes(
      `The value of lookup attribute ${key} is longer than ${MAX_VALUE_LENGTH} characters (underscores, spaces, commas and new lines count twice).`,
    );
  }
  return { key, value: a.AttributeValue };
}

/** LookupEvents' 2000-character limit counts `_`, space, `,` and `\n` double. */
export function weightedLength(v: string): number {
  let n = 0;
  for (const ch of v) n += ch === '_' || ch === ' ' || ch === ',' || ch === '\n' ? 2 : 1;
  return n;
}

/** One Event item: ReadOnly as the string "true"/"false", Resources always a list, unknown fields left out. */
export function toEvent(e: StoredEvent): Event {
  const out: Event = { EventId: e.eventId };
  if (e.eventName !== null) out.EventName = e.eventName;
  if (e.readOnly !== null) out.ReadOnly = String(e.readOnly);
  if (e.accessKeyId !== null) out.AccessKeyId = e.accessKeyId;
  out.EventTime = e.eventTime;
  if (e.eventSource !== null) out.EventSource = e.eventSource;
  if (e.username !== null) out.Username = e.username;
  out.Resources = e.resources.map((r) => ({ ...(r.type !== null ? { ResourceType: r.type } : {}), ...(r.name !== null ? { ResourceName: r.name } : {}) }));
  out.CloudTrailEvent = e.json;
  return out;
}
