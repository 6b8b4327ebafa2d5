/**
 * PutBucketNotificationConfiguration's checks and GetBucketNotificationConfiguration's answer, as
 * pure functions (docs/notifications.md): destinations are queues and topics
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html),
 * key name filters are one prefix and one suffix rule at most
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html), and two
 * rules may not both take the same event for the same key. Checking that each destination exists
 * and lets s3.amazonaws.com send is notifications.ts's, through the SQS and SNS services.
 */
import type { BucketNotificationConfiguration, NotificationRule } from '../../store/types.ts';
import type { NotificationConfiguration, NotificationConfigurationFilter } from './model.generated.ts';
import { invalidArgument, malformedXml, S3Error } from './errors.ts';

/** Every event type S3 accepts in a configuration (the page above). Those startrail never raises (restores, replication, lifecycle, tagging, ACLs: features it does not have) are accepted all the same, as AWS accepts them on a bucket where they never happen. */
export const EVENT_TYPES = new Set([
  's3:TestEvent',
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectAcl:Put',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
]);
EVENT_TYPES.delete('s3:TestEvent');

const MAX_ID = 255;
const MAX_FILTER_VALUE_BYTES = 1024;
const OVERLAP = 'Configurations overlap. Configurations on the same bucket cannot share a common event type.';
const AMBIGUOUS =
  'Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.';

const invalid = (message: string) => new S3Error('InvalidArgument', message, 400);

/** A destination ARN of the kind the configuration names: `arn:<partition>:<sqs|sns>:<region>:<account>:<name>`. */
export function parseDestinationArn(arn: string): { service: string; region: string; account: string; name: string } | undefined {
  const m = /^arn:aws[a-z-]*:(sqs|sns|lambda):([a-z0-9-]+):(\d{12}):(.+)$/.exec(arn);
  return m ? { service: m[1]!, region: m[2]!, account: m[3]!, name: m[4]! } : undefined;
}

/** Does the event pattern of a configuration (`s3:ObjectCreated:*` or an exact type) take the event type? */
export function eventIncludes(pattern: string, event: string): boolean {
  return pattern === event || (pattern.endsWith(':*') && event.startsWith(pattern.slice(0, -1)));
}

const eventsOverlap = (a: string[], b: string[]) => a.some((x) => b.some((y) => eventIncludes(x, y) || eventIncludes(y, x)));

/** A filter value as S3 compares it with keys: the value URL-decoded (the filtering page asks for special characters URL-encoded). */
export function filterText(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

const ruleFilter = (r: NotificationRule) => ({
  prefix: filterText(r.filter.find((f) => f.name === 'Prefix')?.value ?? ''),
  suffix: filterText(r.filter.find((f) => f.name === 'Suffix')?.value ?? ''),
});

function checkFilter(filter: NotificationConfigurationFilter | undefined): NotificationRule['filter'] {
  if (!filter) return [];
  const rules = filter.Key?.FilterRules ?? [];
  if (!filter.Key) throw malformedXml();
  const out: NotificationRule['filter'] = [];
  for (const r of rules) {
    const lower = String(r.Name ?? '').toLowerCase();
    const value = r.Value ?? '';
    if (lower !== 'prefix' && lower !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule', String(r.Name ?? ''));
    const name = lower === 'prefix' ? 'Prefix' : 'Suffix';
    if (out.some((f) => f.name === name)) throw invalid(`Cannot specify more than one ${lower} rule in a filter.`);
    if (Buffer.byteLength(value) > MAX_FILTER_VALUE_BYTES) throw invalid('Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation');
    out.push({ name, value });
  }
  return out;
}

export interface ConfigurationContext {
  /** the bucket's region: destinations must be in it */
  region: string;
  /** a new configuration id (where the request gives none) */
  newId: () => string;
}

type RawRule = { kind: NotificationRule['kind'] | 'lambda'; arn: string; id?: string; events: string[]; filter?: NotificationConfigurationFilter };

/**
 * The stored form of a configuration, or S3's InvalidArgument / MalformedXML. Lambda functions and
 * EventBridge do not exist here: a configuration naming them is refused (as AWS refuses a function
 * S3 may not invoke), never accepted and ignored.
 */
export function checkConfiguration(input: NotificationConfiguration | undefined, c: ConfigurationContext): BucketNotificationConfiguration {
  if (!input) throw malformedXml();
  if (input.EventBridgeConfiguration) throw invalid('EventBridge is not available on this endpoint: an EventBridgeConfiguration cannot be delivered.');
  const raw: RawRule[] = [
    ...(input.TopicConfigurations ?? []).map((t) => ({ kind: 'topic' as const, arn: t.TopicArn, id: t.Id, events: t.Events ?? [], filter: t.Filter })),
    ...(input.QueueConfigurations ?? []).map((q) => ({ kind: 'queue' as const, arn: q.QueueArn, id: q.Id, events: q.Events ?? [], filter: q.Filter })),
    ...(input.LambdaFunctionConfigurations ?? []).map((l) => ({
      kind: 'lambda' as const,
      arn: l.LambdaFunctionArn,
      id: l.Id,
      events: l.Events ?? [],
      filter: l.Filter,
    })),
  ];
  const rules: NotificationRule[] = [];
  const lambdas: string[] = [];
  for (const r of raw) {
    if (r.id !== undefined && r.id.length > MAX_ID) throw invalid(`ID length exceeded allowed limit of ${MAX_ID}`);
    if (!r.arn || !r.events.length) throw malformedXml();
    const arn = parseDestinationArn(r.arn);
    const service = r.kind === 'queue' ? 'sqs' : r.kind === 'topic' ? 'sns' : 'lambda';
    if (!arn || arn.service !== service)
      throw invalidArgument('The ARN could not be parsed', r.kind === 'queue' ? 'QueueArn' : r.kind === 'topic' ? 'TopicArn' : 'CloudFunction', r.arn);
    if (r.kind === 'queue' && arn.name.endsWith('.fifo')) throw invalid('FIFO SQS queues are not supported.');
    if (arn.region !== c.region) throw invalid('The notification destination service region is not valid for the bucket location constraint');
    for (const [i, e] of r.events.entries()) {
      if (!EVENT_TYPES.has(e)) throw invalidArgument('The event is not supported for notifications', 'Event', e);
      if (r.events.slice(0, i).some((p) => eventIncludes(p, e) || eventIncludes(e, p))) throw invalid(OVERLAP);
    }
    const filter = checkFilter(r.filter);
    if (r.kind === 'lambda') {
      lambdas.push(r.arn);
      continue;
    }
    const id = r.id === undefined || r.id === '' ? c.newId() : r.id;
    if (rules.some((x) => x.id === id)) throw invalid('Same ID used for multiple configurations. IDs must be unique.');
    rules.push({ id, kind: r.kind, arn: r.arn, events: r.events, filter });
  }
  checkOverlaps(rules);
  // no Lambda here: S3 cannot invoke the function (the captured form of that answer: "<arn>, null" / "Not authorized to invoke function [<arn>]")
  if (lambdas.length) throw unvalidated(lambdas.map((arn) => ({ name: `${arn}, null`, reason: `Not authorized to invoke function [${arn}]` })));
  return { rules };
}

/** Two rules that take a common event type for some key (prefixes and suffixes both overlapping): AWS refuses the configuration. */
export function checkOverlaps(rules: NotificationRule[]): void {
  for (const [i, a] of rules.entries()) {
    for (const b of rules.slice(0, i)) {
      if (!eventsOverlap(a.events, b.events)) continue;
      const fa = ruleFilter(a);
      const fb = ruleFilter(b);
      const prefixes = fa.prefix.startsWith(fb.prefix) || fb.prefix.startsWith(fa.prefix);
      const suffixes = fa.suffix.endsWith(fb.suffix) || fb.suffix.endsWith(fa.suffix);
      if (!prefixes || !suffixes) continue;
      throw invalid(!a.filter.length && !b.filter.length ? OVERLAP : AMBIGUOUS);
    }
  }
}

/**
 * "Unable to validate the following destination configurations": one ArgumentName<n> (the ARN) and
 * ArgumentValue<n> (why) per destination, as S3 answers it (docs/notifications.md#errors).
 */
export function unvalidated(failures: { name: string; reason: string }[]): S3Error {
  const details: Record<string, string> = {};
  failures.forEach((f, i) => {
    details[`ArgumentName${i + 1}`] = f.name;
    details[`ArgumentValue${i + 1}`] = f.reason;
  });
  return new S3Error('InvalidArgument', 'Unable to validate the following destination configurations', 400, details);
}

/** GetBucketNotificationConfiguration's answer for a stored configuration (or none: the empty element). */
export function configurationOutput(config: BucketNotificationConfiguration | undefined): NotificationConfiguration {
  const rules = config?.rules ?? [];
  const shape = (r: NotificationRule) => ({
    Id: r.id,
    Events: r.events,
    ...(r.filter.length ? { Filter: { Key: { FilterRules: r.filter.map((f) => ({ Name: f.name as 'prefix', Value: f.value })) } } } : {}),
  });
  const topics = rules.filter((r) => r.kind === 'topic').map((r) => ({ ...shape(r), TopicArn: r.arn }));
  const queues = rules.filter((r) => r.kind === 'queue').map((r) => ({ ...shape(r), QueueArn: r.arn }));
  return { ...(topics.length ? { TopicConfigurations: topics } : {}), ...(queues.length ? { QueueConfigurations: queues } : {}) };
}
