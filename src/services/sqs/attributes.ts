/**
 * Queue attributes (docs/sqs.md#queue-attributes): which can be set, their defaults and limits as
 * AWS documents them
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html,
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html),
 * and the values GetQueueAttributes reports.
 */
import type { Queue, QueueCounts } from '../../store/types.ts';
import { invalidAttributeName, invalidAttributeValue } from './errors.ts';

/** Kept with the attributes but never shown: when the queue was last purged (PurgeQueue's 60 s). */
export const PURGED_AT = 'startrail:PurgedAt';

const int = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const bool = (v: string) => v === 'true' || v === 'false';
const json = (v: string) => {
  try {
    const o: unknown = JSON.parse(v);
    return o !== null && typeof o === 'object' && !Array.isArray(o);
  } catch {
    return false;
  }
};

/** The settable attributes: default (undefined: absent until set) and the values allowed. */
const SETTABLE: Record<string, { default?: string; valid: (v: string) => boolean; fifoOnly?: boolean; createOnly?: boolean }> = {
  DelaySeconds: { default: '0', valid: int(0, 900) },
  MaximumMessageSize: { default: '262144', valid: int(1024, 262144) },
  MessageRetentionPeriod: { default: '345600', valid: int(60, 1209600) },
  Policy: { valid: (v) => v === '' || json(v) },
  ReceiveMessageWaitTimeSeconds: { default: '0', valid: int(0, 20) },
  VisibilityTimeout: { default: '30', valid: int(0, 43200) },
  RedrivePolicy: { valid: (v) => v === '' || json(v) },
  RedriveAllowPolicy: { valid: (v) => v === '' || json(v) },
  KmsMasterKeyId: { valid: (v) => v.length <= 2048 },
  KmsDataKeyReusePeriodSeconds: { valid: int(60, 86400) },
  SqsManagedSseEnabled: { default: 'true', valid: bool },
  FifoQueue: { valid: bool, createOnly: true },
  ContentBasedDeduplication: { valid: bool, fifoOnly: true },
  DeduplicationScope: { valid: (v) => v === 'messageGroup' || v === 'queue', fifoOnly: true },
  FifoThroughputLimit: { valid: (v) => v === 'perQueue' || v === 'perMessageGroupId', fifoOnly: true },
};

/** The attributes only GetQueueAttributes reports. */
const COMPUTED = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];

export const ALL_ATTRIBUTE_NAMES = new Set([...Object.keys(SETTABLE), ...COMPUTED, 'All']);

/** Checks attributes given to CreateQueue or SetQueueAttributes; returns them with FIFO defaults. */
export function checkAttributes(given: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  for (const [name, value] of Object.entries(given)) {
    const spec = SETTABLE[name];
    if (!spec) throw invalidAttributeName(name);
    if (spec.createOnly && !creating) throw invalidAttributeName(name);
    if ((spec.fifoOnly && !fifo) || !spec.valid(value)) throw invalidAttributeValue(name);
  }
  if (creating && given.FifoQueue !== undefined && (given.FifoQueue === 'true') !== fifo) throw invalidAttributeValue('FifoQueue');
  return { ...given };
}

/** The value of a settable attribute, with its default. */
export function attribute(q: Queue, name: string): string | undefined {
  const v = q.attributes[name];
  if (v !== undefined && v !== '') return v;
  if (name === 'FifoQueue') return q.fifo ? 'true' : undefined;
  if (q.fifo && name === 'ContentBasedDeduplication') return 'false';
  if (q.fifo && name === 'DeduplicationScope') return 'queue';
  if (q.fifo && name === 'FifoThroughputLimit') return 'perQueue';
  return SETTABLE[name]?.default;
}

export const numberAttribute = (q: Queue, name: string): number => Number(attribute(q, name) ?? 0);

/** The first attribute whose given value differs from the queue's (CreateQueue of an existing name). */
export function differingAttribute(q: Queue, given: Record<string, string>): string | undefined {
  return Object.entries(given).find(([name, v]) => (attribute(q, name) ?? '') !== v)?.[0];
}

/** GetQueueAttributes: the names asked for ('All': every one), those that have a value. */
export function reportAttributes(q: Queue, names: string[], counts: QueueCounts): Record<string, string> {
  for (const n of names) if (!ALL_ATTRIBUTE_NAMES.has(n)) throw invalidAttributeName(n);
  const wanted = names.includes('All') ? [...Object.keys(SETTABLE), ...COMPUTED] : names;
  const out: Record<string, string> = {};
  const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));
  for (const n of wanted) {
    let v: string | undefined;
    switch (n) {
      case 'QueueArn':
        v = q.arn;
        break;
      case 'ApproximateNumberOfMessages':
        v = String(counts.visible);
        break;
      case 'ApproximateNumberOfMessagesNotVisible':
        v = String(counts.inFlight);
        break;
      case 'ApproximateNumberOfMessagesDelayed':
        v = String(counts.delayed);
        break;
      case 'CreatedTimestamp':
        v = seconds(q.createdAt);
        break;
      case 'LastModifiedTimestamp':
        v = seconds(q.modifiedAt);
        break;
      default:
        v = attribute(q, n);
    }
    if (v !== undefined) out[n] = v;
  }
  return out;
}

/** A queue's redrive policy (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html). */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function redrivePolicy(q: Queue): RedrivePolicy | undefined {
  const text = q.attributes.RedrivePolicy;
  if (!text) return undefined;
  try {
    const o = JSON.parse(text) as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
    const max = Number(o.maxReceiveCount);
    if (typeof o.deadLetterTargetArn !== 'string' || !Number.isInteger(max)) return undefined;
    return { deadLetterTargetArn: o.deadLetterTargetArn, maxReceiveCount: max };
  } catch {
    return undefined;
  }
}
