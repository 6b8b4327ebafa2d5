/**
 * Message operations (docs/sqs.md#messages): SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch),
 * ChangeMessageVisibility(Batch), as the SQS API Reference describes them
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html and
 * its siblings). ReceiveMessage long-polls (docs/sqs.md#long-polling): the pipeline retries an empty
 * answer until the wait has passed (`longPoll`), and sends wake the polls on their queue (`wakes`).
 */
import { AwsError } from '../../errors/aws-error.ts';
import type { Queue, StoredMessage } from '../../store/types.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import { onQueue, queueFor, resourcesOf } from './access.ts';
import { attribute, numberAttribute, redrivePolicy } from './attributes.ts';
import {
  batchTooLong,
  emptyBatch,
  idsNotDistinct,
  invalidBatchEntryId,
  invalidParameterValue,
  invalidValue,
  messageNotInflight,
  missingParameter,
  receiptHandleIsInvalid,
  receiptHandleOfOtherQueue,
  tooManyEntries,
} from './errors.ts';
import { md5OfAttributes } from './md5.ts';
import { checkMessage, decodeAttributes, sequenceNumber, storeMessage, type OutgoingMessage } from './messages.ts';
import type { Message, Operations as Ops, Output } from './model.generated.ts';
import { refFromArn, refFromUrl } from './names.ts';
import { newToken, parseReceipt, receiptHandle } from './receipts.ts';

const MAX_VISIBILITY = 43200;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The long-poll key of a queue: its account and name. */
export function pollKey(url: unknown): string {
  try {
    const ref = refFromUrl(String(url));
    return `sqs:${ref.accountId}/${ref.name}`;
  } catch {
    return 'sqs:-';
  }
}

/** The SenderId of a message the caller sends: its principal id (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html). */
const senderId = (ctx: OperationContext) => ctx.principal.principalId;

/** Batch entries: at least one, at most ten, distinct well-formed ids. */
function checkBatch(entries: { Id?: string }[] | undefined, entryName: string): { Id: string }[] {
  if (!entries || entries.length === 0) throw emptyBatch(entryName);
  if (entries.length > 10) throw tooManyEntries(entries.length);
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.Id || !BATCH_ID.test(e.Id)) throw invalidBatchEntryId();
    if (seen.has(e.Id)) throw idsNotDistinct(e.Id);
    seen.add(e.Id);
  }
  return entries as { Id: string }[];
}

/** A batch entry's failure as the Failed list carries it. */
function failure(id: string, e: unknown) {
  if (!(e instanceof AwsError)) throw e;
  return { Id: id, SenderFault: e.fault === 'Sender', Code: e.queryCode ?? e.code, Message: e.message };
}

function outgoing(
  ctx: OperationContext,
  m: {
    MessageBody?: string;
    DelaySeconds?: number;
    MessageAttributes?: OutgoingMessage['messageAttributes'];
    MessageSystemAttributes?: OutgoingMessage['systemAttributes'];
    MessageGroupId?: string;
    MessageDeduplicationId?: string;
  },
): OutgoingMessage {
  for (const name of Object.keys(m.MessageSystemAttributes ?? {}))
    if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
  return {
    body: m.MessageBody ?? '',
    ...(m.DelaySeconds !== undefined ? { delaySeconds: m.DelaySeconds } : {}),
    ...(m.MessageAttributes ? { messageAttributes: m.MessageAttributes } : {}),
    ...(m.MessageSystemAttributes ? { systemAttributes: m.MessageSystemAttributes } : {}),
    ...(m.MessageGroupId !== undefined ? { groupId: m.MessageGroupId } : {}),
    ...(m.MessageDeduplicationId !== undefined ? { deduplicationId: m.MessageDeduplicationId } : {}),
    senderId: senderId(ctx),
  };
}

function checkVisibility(v: number | undefined, name = 'VisibilityTimeout'): void {
  if (v !== undefined && (v < 0 || v > MAX_VISIBILITY)) throw invalidValue(name, v, `Must be between 0 and ${MAX_VISIBILITY}, if provided.`);
}

/** The system attributes asked for ('All' or names) of a received message. */
function systemAttributes(q: Queue, m: StoredMessage, names: string[]): Record<string, string> | undefined {
  if (!names.length) return undefined;
  const all = names.includes('All');
  const sys = JSON.parse(m.systemAttributes) as Record<string, string>;
  const values: Record<string, string | undefined> = {
    SenderId: sys.SenderId,
    SentTimestamp: String(m.sentAt.getTime()),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: m.firstReceivedAt ? String(m.firstReceivedAt.getTime()) : undefined,
    AWSTraceHeader: sys.AWSTraceHeader,
    DeadLetterQueueSourceArn: sys.DeadLetterQueueSourceArn,
    ...(q.fifo ? { SequenceNumber: sequenceNumber(m.seq), MessageDeduplicationId: m.deduplicationId, MessageGroupId: m.groupId } : {}),
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && (all || names.includes(k))) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** The message attributes asked for: 'All', '.*', names, and prefixes 'name.*'. */
function messageAttributes(m: StoredMessage, names: string[]) {
  if (!names.length || !m.messageAttributes) return undefined;
  const attrs = decodeAttributes(m.messageAttributes);
  const wanted = (n: string) => names.some((w) => w === 'All' || w === '.*' || w === n || (w.endsWith('.*') && n.startsWith(w.slice(0, -1))));
  const out = Object.fromEntries(Object.entries(attrs).filter(([n]) => wanted(n)));
  return Object.keys(out).length ? out : undefined;
}

async function receive(ctx: OperationContext, q: Queue, max: number, visibility: number, systemNames: string[], attributeNames: string[]): Promise<Message[]> {
  const now = ctx.now;
  await ctx.store.queues.expire(q.accountId, q.name, new Date(now.getTime() - numberAttribute(q, 'MessageRetentionPeriod') * 1000));
  const redrive = redrivePolicy(q);
  const dlqRef = redrive && refFromArn(redrive.deadLetterTargetArn);
  const dlq = dlqRef && (await ctx.store.queues.getQueue(dlqRef.accountId, dlqRef.name));
  const out: Message[] = [];
  for (const m of await ctx.store.queues.claim(q.accountId, q.name, { now, max, fifo: q.fifo })) {
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    if (dlq && redrive && m.receiveCount >= redrive.maxReceiveCount) {
      const sys = { ...(JSON.parse(m.systemAttributes) as Record<string, string>), DeadLetterQueueSourceArn: q.arn };
      await ctx.store.queues.moveMessage(m.seq, dlq.accountId, dlq.name, now, JSON.stringify(sys));
      continue;
    }
    const token = newToken();
    await ctx.store.queues.markReceived(m.seq, token, now, new Date(now.getTime() + visibility * 1000));
    const got: StoredMessage = { ...m, receiveCount: m.receiveCount + 1, firstReceivedAt: m.firstReceivedAt ?? now };
    const attrs = messageAttributes(got, attributeNames);
    const sys = systemAttributes(q, got, systemNames);
    out.push({
      MessageId: m.messageId,
      ReceiptHandle: receiptHandle(q, m.seq, token),
      MD5OfBody: m.md5OfBody,
      Body: m.body,
      ...(sys ? { Attributes: sys } : {}),
      ...(attrs ? { MD5OfMessageAttributes: md5OfAttributes(attrs), MessageAttributes: attrs } : {}),
    });
  }
  return out;
}

/** The message a receipt handle names while that receive is its latest; `stale` when a later receive replaced it. */
async function currentReceive(ctx: OperationContext, q: Queue, handle: string | undefined): Promise<{ m?: StoredMessage; stale?: true }> {
  if (handle === undefined || handle === '') throw missingParameter('ReceiptHandle');
  const r = parseReceipt(q, handle);
  if (!r) throw receiptHandleIsInvalid(handle);
  if (r === 'other-queue') throw receiptHandleOfOtherQueue(handle);
  const m = await ctx.store.queues.getMessage(q.accountId, q.name, r.seq);
  if (!m) return {};
  return m.receipt === r.token ? { m } : { stale: true };
}

async function deleteOne(ctx: OperationContext, q: Queue, handle: string | undefined): Promise<void> {
  // standard queues: a handle of an older receive, or of a message already deleted, succeeds and
  // deletes nothing (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html);
  // FIFO queues refuse an older receive's handle as expired (docs/sqs.md#receipt-handles)
  const { m, stale } = await currentReceive(ctx, q, handle);
  if (stale && q.fifo) throw invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
  if (m) await ctx.store.queues.deleteMessage(m.seq);
}

async function changeOne(ctx: OperationContext, q: Queue, handle: string | undefined, timeout: number | undefined): Promise<void> {
  if (timeout === undefined) throw missingParameter('VisibilityTimeout');
  checkVisibility(timeout);
  const { m, stale } = await currentReceive(ctx, q, handle);
  if (stale) throw invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
  if (!m) throw invalidValue('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
  if (m.visibleAt.getTime() <= ctx.now.getTime()) throw messageNotInflight();
  await ctx.store.queues.setVisibleAt(m.seq, new Date(ctx.now.getTime() + timeout * 1000));
}

export const messageOps = {
  SendMessage: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'SendMessage'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const m = outgoing(ctx, input);
      checkMessage(q, m);
      const sent = await storeMessage(ctx.store, q, m, ctx.now, ctx.ids.uuid());
      return {
        MD5OfMessageBody: sent.md5OfBody,
        ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
        ...(sent.md5OfMessageSystemAttributes ? { MD5OfMessageSystemAttributes: sent.md5OfMessageSystemAttributes } : {}),
        MessageId: sent.messageId,
        ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
      };
    },
    wakes: (input) => [pollKey(input.QueueUrl)],
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  SendMessageBatch: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue('sqs:SendMessage'),
    async handler(input, ctx): Promise<Output<'SendMessageBatch'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const entries = checkBatch(input.Entries, 'SendMessageBatchRequestEntry') as NonNullable<typeof input.Entries>;
      const max = numberAttribute(q, 'MaximumMessageSize');
      const checked = entries.map((e) => {
        try {
          return { e, m: outgoing(ctx, e), size: checkMessage(q, outgoing(ctx, e)) };
        } catch (err) {
          return { e, failed: failure(e.Id, err) };
        }
      });
      const total = checked.reduce((n, c) => n + (c.size ?? 0), 0);
      if (total > max) throw batchTooLong(max, total);
      const Successful: Output<'SendMessageBatch'>['Successful'] = [];
      const Failed: Output<'SendMessageBatch'>['Failed'] = [];
      for (const c of checked) {
        if (!c.m) {
          Failed.push(c.failed!);
          continue;
        }
        const sent = await storeMessage(ctx.store, q, c.m, ctx.now, ctx.ids.uuid());
        Successful.push({
          Id: c.e.Id,
          MessageId: sent.messageId,
          MD5OfMessageBody: sent.md5OfBody,
          ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
          ...(sent.md5OfMessageSystemAttributes ? { MD5OfMessageSystemAttributes: sent.md5OfMessageSystemAttributes } : {}),
          ...(sent.sequenceNumber ? { SequenceNumber: sent.sequenceNumber } : {}),
        });
      }
      return { Successful, Failed };
    },
    wakes: (input, output) => (output.Successful ?? []).map(() => pollKey(input.QueueUrl)),
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  ReceiveMessage: {
    readOnly: true,
    eventCategory: 'Data',
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'ReceiveMessage'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const max = input.MaxNumberOfMessages ?? 1;
      if (max < 1 || max > 10) throw invalidValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
      checkVisibility(input.VisibilityTimeout);
      const wait = input.WaitTimeSeconds;
      if (wait !== undefined && (wait < 0 || wait > 20)) throw invalidValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
      const visibility = input.VisibilityTimeout ?? numberAttribute(q, 'VisibilityTimeout');
      const systemNames = [...((input.AttributeNames ?? []) as string[]), ...((input.MessageSystemAttributeNames ?? []) as string[])];
      const messages = await receive(ctx, q, max, visibility, systemNames, input.MessageAttributeNames ?? []);
      return messages.length ? { Messages: messages } : {};
    },
    longPoll: {
      async waitSeconds(input, ctx) {
        if (input.WaitTimeSeconds !== undefined) return Math.min(Math.max(input.WaitTimeSeconds, 0), 20);
        let ref: { accountId: string; name: string };
        try {
          ref = refFromUrl(String(input.QueueUrl));
        } catch {
          return 0;
        }
        const q = await ctx.store.queues.getQueue(ref.accountId, ref.name);
        return q ? Math.min(Number(attribute(q, 'ReceiveMessageWaitTimeSeconds') ?? 0), 20) : 0;
      },
      key: (input) => pollKey(input.QueueUrl),
      empty: (output) => !output.Messages?.length,
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  DeleteMessage: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'DeleteMessage'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      await deleteOne(ctx, q, input.ReceiptHandle);
      return {};
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  DeleteMessageBatch: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue('sqs:DeleteMessage'),
    async handler(input, ctx): Promise<Output<'DeleteMessageBatch'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const entries = checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry') as NonNullable<typeof input.Entries>;
      const out: Output<'DeleteMessageBatch'> = { Successful: [], Failed: [] };
      for (const e of entries) {
        try {
          await deleteOne(ctx, q, e.ReceiptHandle);
          out.Successful.push({ Id: e.Id });
        } catch (err) {
          out.Failed.push(failure(e.Id, err));
        }
      }
      return out;
    },
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  ChangeMessageVisibility: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue(),
    async handler(input, ctx): Promise<Output<'ChangeMessageVisibility'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      await changeOne(ctx, q, input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },
    wakes: (input) => [pollKey(input.QueueUrl)],
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },

  ChangeMessageVisibilityBatch: {
    readOnly: false,
    eventCategory: 'Data',
    authorize: onQueue('sqs:ChangeMessageVisibility'),
    async handler(input, ctx): Promise<Output<'ChangeMessageVisibilityBatch'>> {
      const q = await queueFor(ctx, input.QueueUrl);
      const entries = checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry') as NonNullable<typeof input.Entries>;
      const out: Output<'ChangeMessageVisibilityBatch'> = { Successful: [], Failed: [] };
      for (const e of entries) {
        try {
          await changeOne(ctx, q, e.ReceiptHandle, e.VisibilityTimeout ?? 0);
          out.Successful.push({ Id: e.Id });
        } catch (err) {
          out.Failed.push(failure(e.Id, err));
        }
      }
      return out;
    },
    wakes: (input, output) => output.Successful.map(() => pollKey(input.QueueUrl)),
    resources: (input, _o, ctx) => resourcesOf(input, ctx),
  },
} satisfies OperationDefs<
  Ops,
  'SendMessage' | 'SendMessageBatch' | 'ReceiveMessage' | 'DeleteMessage' | 'DeleteMessageBatch' | 'ChangeMessageVisibility' | 'ChangeMessageVisibilityBatch'
>;
