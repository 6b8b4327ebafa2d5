/**
 * Which records a trail delivers (docs/architecture.md#delivery): its home region, or every region for
 * a multi-region trail; global-service events (IAM, STS: recorded in us-east-1) only with
 * IncludeGlobalServiceEvents; then the event selectors. Default (no selectors): every management
 * event, no data event. Basic selectors: ReadWriteType, IncludeManagementEvents,
 * ExcludeManagementEventSources, and DataResources of type AWS::S3::Object whose values are ARN
 * prefixes ("arn:aws:s3" = every bucket, "arn:aws:s3:::bucket/", "arn:aws:s3:::bucket/prefix").
 * Advanced selectors: eventCategory (Management | Data), eventSource, eventName, readOnly,
 * resources.type and resources.ARN, with the six operators. Selectors for data resource types
 * startrail serves no calls of (Lambda, DynamoDB) or NetworkActivity match nothing.
 *
 * Every S3 data event is of resource type AWS::S3::Object, as CloudTrail selects them; the ARN a
 * selector compares is the object's ("arn:aws:s3:::bucket/key"), or, for a call on the bucket's
 * objects without one object (ListObjects, DeleteObjects), the bucket's followed by "/". Data events
 * of other services (SQS messages: AWS::SQS::Queue, SNS publishes: AWS::SNS::Topic) are of the types
 * their records' `resources` name, and compare those resources' ARNs
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html).
 *
 * Before all of that, the account: a trail delivers the records of its own account, an organization
 * trail those of its organization's accounts (docs/accounts.md#trails).
 */
import type { TrailEvent, TrailScope } from '../store/types.ts';

/** Event sources of global services (their records carry awsRegion us-east-1). */
const GLOBAL_EVENT_SOURCES = new Set(['iam.amazonaws.com', 'sts.amazonaws.com', 'signin.amazonaws.com', 'cloudfront.amazonaws.com']);

type Selector = Record<string, any>;
interface FieldSelector {
  Field: string;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

const S3_OBJECT = 'AWS::S3::Object';
/** SQS data events (SendMessage, ReceiveMessage, …) are of resource type AWS::SQS::Queue, selected by advanced selectors only (docs/sqs.md#audit). */

export function inScope(scope: TrailScope, e: TrailEvent): boolean {
  if (!accountInScope(scope, e.accountId)) return false;
  if (!scope.isMultiRegionTrail && e.region !== scope.homeRegion) return false;
  if (!scope.includeGlobalServiceEvents && e.eventSource !== null && GLOBAL_EVENT_SOURCES.has(e.eventSource)) return false;
  const s = scope.selectors;
  if (!s) return !e.data;
  if (s.kind === 'advanced') return s.selectors.some((x) => advancedMatches(x, e));
  return s.selectors.some((x) => (e.data ? basicDataMatches(x, e) : basicMatches(x, e)));
}

/**
 * A trail delivers its own account's records; an organization trail those of every account of its
 * organization (docs/accounts.md#trails). A plan persisted before accounts existed names none: any.
 */
function accountInScope(scope: TrailScope, accountId: string): boolean {
  if (scope.organization) return scope.organization.accounts.includes(accountId);
  return scope.accountId === undefined || scope.accountId === accountId;
}

function readWriteMatches(s: Selector, e: TrailEvent): boolean {
  const rw = s.ReadWriteType ?? 'All';
  if (rw === 'ReadOnly' && e.readOnly !== true) return false;
  if (rw === 'WriteOnly' && e.readOnly !== false) return false;
  return true;
}

function basicMatches(s: Selector, e: TrailEvent): boolean {
  if (s.IncludeManagementEvents === false || !readWriteMatches(s, e)) return false;
  const excluded: string[] = s.ExcludeManagementEventSources ?? [];
  return !(e.eventSource !== null && excluded.includes(e.eventSource));
}

/** A data event and a basic selector: ReadWriteType, then an AWS::S3::Object data resource whose value prefixes the ARN. */
function basicDataMatches(s: Selector, e: TrailEvent): boolean {
  if (!readWriteMatches(s, e) || e.eventSource !== 's3.amazonaws.com') return false;
  const arns = dataArns(e);
  return ((s.DataResources ?? []) as { Type?: string; Values?: string[] }[]).some(
    (r) => r.Type === S3_OBJECT && (r.Values ?? []).some((v) => arns.some((a) => a.startsWith(v))),
  );
}

function recordResources(e: TrailEvent): { type: string; ARN: string }[] {
  try {
    const list = (JSON.parse(e.json) as { resources?: { type?: unknown; ARN?: unknown }[] }).resources ?? [];
    return list.filter((r): r is { type: string; ARN: string } => typeof r.type === 'string' && typeof r.ARN === 'string');
  } catch {
    return []; // stored records are JSON
  }
}

/**
 * The ARNs a data-event selector compares. S3: the objects', else each bucket's with a trailing "/";
 * other services: their resources'.
 */
function dataArns(e: TrailEvent): string[] {
  const resources = recordResources(e);
  if (e.eventSource !== 's3.amazonaws.com') return resources.map((r) => r.ARN);
  const of = (type: string) => resources.filter((r) => r.type === type).map((r) => r.ARN);
  const objects = of(S3_OBJECT);
  return objects.length ? objects : of('AWS::S3::Bucket').map((b) => `${b}/`);
}

/** The resource types of a data event: S3's are all AWS::S3::Object; other services' are their resources'. */
function dataTypes(e: TrailEvent): string[] {
  if (e.eventSource === 's3.amazonaws.com') return [S3_OBJECT];
  return [...new Set(recordResources(e).map((r) => r.type))];
}

/** The values a record has for an advanced-selector field (several for resources.ARN). */
function fieldValues(field: string, e: TrailEvent): string[] {
  const one = (v: string | null | undefined) => (v === null || v === undefined ? [] : [v]);
  switch (field) {
    case 'eventCategory':
      return [e.data ? 'Data' : 'Management'];
    case 'eventSource':
      return one(e.eventSource);
    case 'eventName':
      return one(e.eventName);
    case 'readOnly':
      return e.readOnly === null ? [] : [String(e.readOnly)];
    case 'resources.type':
      return e.data ? dataTypes(e) : [];
    case 'resources.ARN':
      return e.data ? dataArns(e) : [];
    default:
      return [];
  }
}

function advancedMatches(s: Selector, e: TrailEvent): boolean {
  return ((s.FieldSelectors ?? []) as FieldSelector[]).every((f) => {
    const values = fieldValues(f.Field, e);
    // positive operators hold for some value; negative ones for every value
    return values.length ? values.some((v) => positive(f, v)) && values.every((v) => fieldMatches(negativeOnly(f), v)) : fieldMatches(f, undefined);
  });
}

const positive = (f: FieldSelector, v: string) =>
  fieldMatches(
    {
      Field: f.Field,
      ...(f.Equals ? { Equals: f.Equals } : {}),
      ...(f.StartsWith ? { StartsWith: f.StartsWith } : {}),
      ...(f.EndsWith ? { EndsWith: f.EndsWith } : {}),
    },
    v,
  );
const negativeOnly = (f: FieldSelector): FieldSelector => ({
  Field: f.Field,
  ...(f.NotEquals ? { NotEquals: f.NotEquals } : {}),
  ...(f.NotStartsWith ? { NotStartsWith: f.NotStartsWith } : {}),
  ...(f.NotEndsWith ? { NotEndsWith: f.NotEndsWith } : {}),
});

/** Every operator given must hold (AND); positive operators need the field to be present. */
function fieldMatches(f: FieldSelector, v: string | undefined): boolean {
  if (f.Equals && (v === undefined || !f.Equals.includes(v))) return false;
  if (f.StartsWith && (v === undefined || !f.StartsWith.some((p) => v.startsWith(p)))) return false;
  if (f.EndsWith && (v === undefined || !f.EndsWith.some((p) => v.endsWith(p)))) return false;
  if (f.NotEquals && v !== undefined && f.NotEquals.includes(v)) return false;
  if (f.NotStartsWith && v !== undefined && f.NotStartsWith.some((p) => v.startsWith(p))) return false;
  if (f.NotEndsWith && v !== undefined && f.NotEndsWith.some((p) => v.endsWith(p))) return false;
  return true;
}
