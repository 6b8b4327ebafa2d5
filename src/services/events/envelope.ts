/**
 * EventBridge event envelopes (docs/eventbridge-delivery.md#cloudtrail-on-the-bus): a CloudTrail
 * record as the event AWS puts on the default bus
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html), and
 * the "Scheduled Event" of a scheduled rule
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-events.html). The envelope's members
 * are in the order AWS sends them (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html);
 * a CloudTrail event's `detail` is the stored record's text byte for byte, spliced in, never re-serialized.
 */
import type { BusEvent } from './dispatch.ts';

/** The record's eventType → the event's detail-type (the page above lists them). */
const DETAIL_TYPES: Record<string, string> = {
  AwsApiCall: 'AWS API Call via CloudTrail',
  AwsConsoleSignIn: 'AWS Console Sign In via CloudTrail',
  AwsConsoleAction: 'AWS Console Action via CloudTrail',
  AwsServiceEvent: 'AWS Service Event via CloudTrail',
  AwsCloudTrailInsight: 'AWS Insight via CloudTrail',
};

export interface CloudTrailBusEvent {
  event: BusEvent;
  /** the envelope's exact text */
  json: string;
  /** the account and Region whose default bus gets it */
  accountId: string;
  region: string;
  /** a read-only management event: only ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS rules see it */
  cloudTrailReadOnly: boolean;
  /** a data event (S3 object, SQS message calls): on the bus only when a logging trail selects it */
  data: boolean;
}

/**
 * The bus event of one stored record, or undefined for a record EventBridge never gets (one without
 * an event source, account or Region; network-activity events). Global services' records carry
 * us-east-1 (docs/architecture.md#audit), so they go to us-east-1's default bus, as on AWS.
 */
export function cloudTrailEvent(recordJson: string, id: string): CloudTrailBusEvent | undefined {
  let record: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(recordJson);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    record = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const detailType = DETAIL_TYPES[String(record.eventType)];
  const source = typeof record.eventSource === 'string' ? record.eventSource : undefined;
  const region = typeof record.awsRegion === 'string' ? record.awsRegion : undefined;
  const identity = record.userIdentity as { accountId?: unknown } | undefined;
  const account =
    typeof record.recipientAccountId === 'string' ? record.recipientAccountId : typeof identity?.accountId === 'string' ? identity.accountId : undefined;
  const time = typeof record.eventTime === 'string' ? record.eventTime : undefined;
  if (!detailType || !source || !region || !account || !time) return undefined;
  const head: Omit<BusEvent, 'detail'> = {
    version: '0',
    id,
    'detail-type': detailType,
    source: `aws.${source.replace(/\.amazonaws\.com$/, '')}`,
    account,
    time,
    region,
    resources: [],
  };
  const data = record.eventCategory === 'Data' || record.managementEvent === false;
  return {
    event: { ...head, detail: record },
    json: splice(head, recordJson),
    accountId: account,
    region,
    cloudTrailReadOnly: !data && record.readOnly === true,
    data,
  };
}

/** The "Scheduled Event" a scheduled rule fires: source aws.events, the rule's ARN as its resource, detail {}. */
export function scheduledEvent(id: string, account: string, region: string, ruleArn: string, time: Date): { event: BusEvent; json: string } {
  const head: Omit<BusEvent, 'detail'> = {
    version: '0',
    id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account,
    time: eventTime(time),
    region,
    resources: [ruleArn],
  };
  return { event: { ...head, detail: {} }, json: splice(head, '{}') };
}

/** An event's `time`: ISO 8601 to the second, as AWS writes it ("2026-01-01T00:00:00Z"). */
export function eventTime(t: Date): string {
  return t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The envelope's text with `detail` appended as given (its members before it, in AWS's order). */
export function splice(head: Omit<BusEvent, 'detail'>, detailJson: string): string {
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"detail":${detailJson}}`;
}
