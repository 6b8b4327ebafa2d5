/**
 * Sending a message (docs/sqs.md#messages): its checks (characters, size, attributes, FIFO group
 * and deduplication, delay), its MD5s, and storing it. SendMessage, SendMessageBatch and service
 * deliveries (deliver.ts) all send through `sendMessage`, inside the caller's transaction.
 * Limits: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Queue, Store } from '../../store/types.ts';
import { attribute, numberAttribute } from './attributes.ts';
import { invalidMessageContents, invalidParameterValue, invalidValue, missingParameter } from './errors.ts';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.ts';

/** FIFO deduplication interval: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html */
export const DEDUP_INTERVAL_MS = 5 * 60 * 1000;

/** Characters a message may hold (XML 1.0's): #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF. */
const INVALID_CHARS = /[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

export interface OutgoingMessage {
  body: string;
  delaySeconds?: number;
  messageAttributes?: Record<string, AttributeValue>;
  /** MessageSystemAttributes (AWSTraceHeader) */
  systemAttributes?: Record<string, AttributeValue>;
  groupId?: string;
  deduplicationId?: string;
  senderId: string;
}

export interface SentMessage {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  md5OfMessageSystemAttributes?: string;
  sequenceNumber?: string;
}

/** A FIFO message's SequenceNumber: its place in the store's order, as the 20-digit decimal AWS returns. */
export const sequenceNumber = (seq: number) => String(seq).padStart(20, '0');

const ATTRIBUTE_NAME = /^(?!aws\.|amazon\.)(?!.*\.\.)(?!\.)[A-Za-z0-9_.-]{1,256}(?<!\.)$/i;

function checkAttributes(attrs: Record<string, AttributeValue>): number {
  const names = Object.keys(attrs);
  if (names.length > 10) throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  let size = 0;
  for (const name of names) {
    const v = attrs[name]!;
    if (!ATTRIBUTE_NAME.test(name)) throw invalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    const type = v.DataType ?? '';
    if (!/^(String|Number|Binary)(\.[^\s]{1,255})?$/.test(type))
      throw invalidParameterValue(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    const binary = type.startsWith('Binary');
    const value = binary ? v.BinaryValue : v.StringValue;
    if (value === undefined || value.length === 0)
      throw invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${binary ? 'Binary' : type.split('.')[0]}'.`);
    if (!binary && INVALID_CHARS.test(v.StringValue!)) throw invalidMessageContents();
    if (type.startsWith('Number') && !Number.isFinite(Number(v.StringValue)))
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + (binary ? value.length : Buffer.byteLength(v.StringValue!));
  }
  return size;
}

/** The stored JSON form of message attributes (binary values as base64). */
export function encodeAttributes(attrs: Record<string, AttributeValue>): string {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (const [k, v] of Object.entries(attrs))
    out[k] = {
      DataType: v.DataType,
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue).toString('base64') } : { StringValue: v.StringValue ?? '' }),
    };
  return JSON.stringify(out);
}

export function decodeAttributes(text: string): Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }> {
  const o = JSON.parse(text) as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }> = {};
  for (const [k, v] of Object.entries(o))
    out[k] = {
      DataType: v.DataType,
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : { StringValue: v.StringValue ?? '' }),
    };
  return out;
}

/** Checks a message against the queue; returns its size in bytes as SQS counts it (body and attributes). */
export function checkMessage(q: Queue, m: OutgoingMessage): number {
  if (m.body === undefined || m.body === '') throw missingParameter('MessageBody');
  if (INVALID_CHARS.test(m.body)) throw invalidMessageContents();
  const size = Buffer.byteLength(m.body) + checkAttributes(m.messageAttributes ?? {});
  const max = numberAttribute(q, 'MaximumMessageSize');
  if (size > max) throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  if (m.delaySeconds !== undefined) {
    if (q.fifo) throw invalidValue('DelaySeconds', m.delaySeconds, 'The request include parameter that is not valid for this queue type');
    if (!Number.isInteger(m.delaySeconds) || m.delaySeconds < 0 || m.delaySeconds > 900)
      throw invalidValue('DelaySeconds', m.delaySeconds, 'DelaySeconds must be >= 0 and <= 900.');
  }
  if (q.fifo) {
    if (!m.groupId) throw missingParameter('MessageGroupId');
    if (!m.deduplicationId && attribute(q, 'ContentBasedDeduplication') !== 'true')
      throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  } else if (m.deduplicationId !== undefined) {
    throw invalidValue('MessageDeduplicationId', m.deduplicationId, 'The request includes a parameter that is not valid for this queue type.');
  }
  for (const [name, v] of [
    ['MessageGroupId', m.groupId],
    ['MessageDeduplicationId', m.deduplicationId],
  ] as const)
    if (v !== undefined && !/^[!-~]{1,128}$/.test(v))
      throw invalidValue(name, v, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  return size;
}

/** Stores a checked message in the queue (or, FIFO, finds the one it duplicates). */
export async function storeMessage(store: Store, q: Queue, m: OutgoingMessage, now: Date, messageId: string = randomUUID()): Promise<SentMessage> {
  const md5OfBody = md5Hex(m.body);
  const attrs = m.messageAttributes && Object.keys(m.messageAttributes).length ? m.messageAttributes : undefined;
  const sys = m.systemAttributes && Object.keys(m.systemAttributes).length ? m.systemAttributes : undefined;
  const sums = {
    md5OfBody,
    ...(attrs ? { md5OfMessageAttributes: md5OfAttributes(attrs) } : {}),
    ...(sys ? { md5OfMessageSystemAttributes: md5OfAttributes(sys) } : {}),
  };
  const delay = m.delaySeconds ?? numberAttribute(q, 'DelaySeconds');
  const system: Record<string, string> = { SenderId: m.senderId };
  if (sys?.AWSTraceHeader?.StringValue) system.AWSTraceHeader = sys.AWSTraceHeader.StringValue;
  const deduplicationId = q.fifo ? (m.deduplicationId ?? createHash('sha256').update(m.body).digest('hex')) : undefined;
  const seq = await store.queues.addMessage(q.accountId, q.name, {
    messageId,
    body: m.body,
    ...(attrs ? { messageAttributes: encodeAttributes(attrs) } : {}),
    systemAttributes: JSON.stringify(system),
    ...sums,
    sentAt: now,
    visibleAt: new Date(now.getTime() + delay * 1000),
    ...(m.groupId !== undefined ? { groupId: m.groupId } : {}),
    ...(deduplicationId !== undefined ? { deduplicationId } : {}),
  });
  if (!q.fifo) return { messageId, ...sums };
  // FIFO: a deduplication id seen within the interval keeps the first message; this one is dropped
  const key = attribute(q, 'DeduplicationScope') === 'messageGroup' ? `${m.groupId}\u0000${deduplicationId}` : deduplicationId!;
  const dup = await store.queues.deduplicate(q.accountId, q.name, key, now, { messageId, seq, expiresAt: new Date(now.getTime() + DEDUP_INTERVAL_MS) });
  if (dup) {
    await store.queues.deleteMessage(seq);
    return { messageId: dup.messageId, ...sums, sequenceNumber: sequenceNumber(dup.seq) };
  }
  return { messageId, ...sums, sequenceNumber: sequenceNumber(seq) };
}
