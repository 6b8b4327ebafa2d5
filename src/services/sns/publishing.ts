/**
 * Publish and PublishBatch (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html): the message and its
 * attributes are checked as SNS checks them — 256 KiB for message and attributes together, a
 * subject of at most 100 printable ASCII characters, `MessageStructure=json` with a `default` entry,
 * message attributes as https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html
 * describes, FIFO topics' MessageGroupId and deduplication — then fanned out (publish.ts) in the
 * call's transaction. Both are data events on AWS::SNS::Topic
 * (https://docs.aws.amazon.com/sns/latest/dg/logging-using-cloudtrail.html). docs/sns.md#publishing.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors/aws-error.ts';
import { modelErrors } from '../../errors/model-errors.ts';
import type { Topic } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onTopic } from './access.ts';
import { parseTopicArn } from './arns.ts';
import { batchTooLong, emptyBatch, idsNotDistinct, invalidBatchEntryId, invalidParameter, tooManyEntries } from './errors.ts';
import type { MessageAttribute } from './messages.ts';
import { ERRORS, type MessageAttributeValue, type Operations as Ops, type Output } from './model.generated.ts';
import { fanOut, type Accepted } from './publish.ts';
import { findTopic } from './topics.ts';

const valueInvalid = (message: string) => modelErrors(ERRORS)('ParameterValueInvalid', message);

export const MAX_MESSAGE_BYTES = 262_144;
const MAX_ATTRIBUTES = 10;
const MAX_BATCH = 10;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const SUBJECT = /^[\x20-\x7e]{1,100}$/;

export interface Draft {
  Message: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

function attributesOf(given: Record<string, MessageAttributeValue> | undefined): { attributes: Record<string, MessageAttribute>; bytes: number } {
  const attributes: Record<string, MessageAttribute> = {};
  let bytes = 0;
  const entries = Object.entries(given ?? {});
  if (entries.length > MAX_ATTRIBUTES) throw valueInvalid(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const [name, sent] of entries) {
    // an entry sent without a value (`MessageAttributes.entry.1.Name` alone) has no type
    const a: Partial<MessageAttributeValue> = sent ?? {};
    if (!ATTRIBUTE_NAME.test(name) || name.includes('..') || /^(aws|amazon)\./i.test(name))
      throw valueInvalid(`The message attribute name '${name}' is invalid.`);
    const type = a.DataType ?? '';
    const base = type === 'String.Array' ? 'String.Array' : type.split('.')[0];
    if (!['String', 'Number', 'Binary', 'String.Array'].includes(base ?? ''))
      throw valueInvalid(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    if (base === 'Binary') {
      if (!a.BinaryValue?.length)
        throw valueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
      attributes[name] = { DataType: type, BinaryValue: a.BinaryValue };
      bytes += Buffer.byteLength(name) + Buffer.byteLength(type) + a.BinaryValue.length;
      continue;
    }
    const v = a.StringValue;
    if (v === undefined || v === '')
      throw valueInvalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    if (base === 'Number' && (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.trim()) || Number.isNaN(Number(v))))
      throw valueInvalid(`Could not cast message attribute '${name}' value to number.`);
    if (base === 'String.Array') {
      let arr: unknown;
      try {
        arr = JSON.parse(v);
      } catch {
        arr = undefined;
      }
      if (!Array.isArray(arr) || arr.some((x) => typeof x === 'object' && x !== null))
        throw valueInvalid(`The message attribute '${name}' with type 'String.Array' must be a JSON array of strings, numbers, booleans or null.`);
    }
    attributes[name] = { DataType: type, StringValue: v };
    bytes += Buffer.byteLength(name) + Buffer.byteLength(type) + Buffer.byteLength(v);
  }
  return { attributes, bytes };
}

function structured(message: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw invalidParameter('Message Structure - JSON message body failed to parse');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidParameter('Message Structure - JSON message body failed to parse');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  if (out.default === undefined) throw invalidParameter('Message Structure - No default entry in JSON message body');
  return out;
}

/** Checks one message for `topic` and gives what fan-out needs (its id from ctx.ids). */
export async function accept(d: Draft, topic: Topic, ctx: OperationContext): Promise<Accepted> {
  if (d.Message === undefined || d.Message === '') throw invalidParameter('Empty message');
  if (d.Subject !== undefined && !SUBJECT.test(d.Subject)) throw invalidParameter('Subject');
  const { attributes, bytes } = attributesOf(d.MessageAttributes);
  if (Buffer.byteLength(d.Message) + bytes > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
  if (d.MessageStructure !== undefined && d.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
  const message = d.MessageStructure === 'json' ? structured(d.Message) : d.Message;
  const fifo = topic.attributes.FifoTopic === 'true';
  const out: Accepted = { messageId: ctx.ids.uuid(), message, attributes, ...(d.Subject !== undefined ? { subject: d.Subject } : {}) };
  if (!fifo) {
    if (d.MessageGroupId !== undefined)
      throw invalidParameter('MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type');
    if (d.MessageDeduplicationId !== undefined)
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    return out;
  }
  if (!d.MessageGroupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  const contentBased = topic.attributes.ContentBasedDeduplication === 'true';
  if (!d.MessageDeduplicationId && !contentBased)
    throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  out.messageGroupId = d.MessageGroupId;
  out.messageDeduplicationId = d.MessageDeduplicationId || createHash('sha256').update(d.Message).digest('hex');
  out.sequenceNumber = await nextSequence(ctx, topic);
  return out;
}

/** FIFO topics number their messages: a 20-digit sequence number per topic, kept in the store with the publish. */
async function nextSequence(ctx: OperationContext, topic: Topic): Promise<string> {
  const key = `sns-sequence:${topic.arn}`;
  const next = BigInt((await ctx.store.kv.get(key)) ?? '10000000000000000000') + 1n;
  await ctx.store.kv.put(key, next.toString());
  return next.toString();
}

async function publishTarget(input: { TopicArn?: string; TargetArn?: string; PhoneNumber?: string }, ctx: OperationContext): Promise<Topic> {
  if (input.PhoneNumber !== undefined) throw invalidParameter('PhoneNumber Reason: startrail sends no SMS');
  const given = [input.TopicArn, input.TargetArn].filter((x) => x !== undefined && x !== '');
  if (!given.length) throw invalidParameter('TopicArn or TargetArn Reason: no value for required parameter');
  if (given.length > 1) throw invalidParameter('TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
  const arn = given[0]!;
  if (!parseTopicArn(arn)) throw invalidParameter(input.TopicArn ? 'TopicArn' : 'TargetArn');
  return findTopic(ctx, arn);
}

const topicResource = (arn: string | undefined, ctx: OperationContext) => (arn ? [{ accountId: ctx.accountId, type: 'AWS::SNS::Topic', ARN: arn }] : []);

export const publishHandlers = {
  Publish: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn ?? input.TargetArn),
    async handler(input, ctx): Promise<Output<'Publish'>> {
      const topic = await publishTarget(input, ctx);
      const m = await accept(input, topic, ctx);
      await fanOut(ctx.store, topic, m, ctx.now, ctx.ids, ctx.config);
      return { MessageId: m.messageId, ...(m.sequenceNumber ? { SequenceNumber: m.sequenceNumber } : {}) };
    },
    resources: (input, _out, ctx) => topicResource(input.TopicArn ?? input.TargetArn, ctx),
  },

  PublishBatch: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: (input, ctx) => onTopic(ctx, input.TopicArn),
    async handler(input, ctx): Promise<Output<'PublishBatch'>> {
      const topic = await findTopic(ctx, input.TopicArn);
      const entries = input.PublishBatchRequestEntries;
      if (!entries.length) throw emptyBatch();
      if (entries.length > MAX_BATCH) throw tooManyEntries();
      const ids = entries.map((e) => e.Id);
      if (ids.some((id) => !BATCH_ID.test(id))) throw invalidBatchEntryId();
      if (new Set(ids).size !== ids.length) throw idsNotDistinct();
      const total = entries.reduce((n, e) => n + Buffer.byteLength(e.Message ?? '') + attributesSize(e.MessageAttributes), 0);
      if (total > MAX_MESSAGE_BYTES) throw batchTooLong();
      const out: Required<Output<'PublishBatch'>> = { Successful: [], Failed: [] };
      for (const e of entries) {
        let m: Accepted;
        try {
          m = await accept(e, topic, ctx);
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          out.Failed.push({ Id: e.Id, Code: err.code, Message: err.message, SenderFault: err.fault === 'Sender' });
          continue;
        }
        await fanOut(ctx.store, topic, m, ctx.now, ctx.ids, ctx.config);
        out.Successful.push({ Id: e.Id, MessageId: m.messageId, ...(m.sequenceNumber ? { SequenceNumber: m.sequenceNumber } : {}) });
      }
      return out;
    },
    resources: (input, _out, ctx) => topicResource(input.TopicArn, ctx),
  },
} satisfies OperationDefs<Ops, 'Publish' | 'PublishBatch'>;

function attributesSize(attrs: Record<string, MessageAttributeValue> | undefined): number {
  let n = 0;
  for (const [k, a] of Object.entries(attrs ?? {}))
    n += Buffer.byteLength(k) + Buffer.byteLength(a.DataType ?? '') + (a.BinaryValue?.length ?? Buffer.byteLength(a.StringValue ?? ''));
  return n;
}
