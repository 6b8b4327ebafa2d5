/**
 * Messages other services send to queues (SNS subscriptions, S3 event notifications), inside the
 * caller's store transaction, so a message commits with the caller's change or not at all
 * (docs/sqs.md#service-deliveries). The queue's policy must let the service principal send, with
 * aws:SourceArn and aws:SourceAccount, as AWS requires of SNS and S3
 * (https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html);
 * evaluated by the IAM engine as src/delivery/bucket-policy.ts does.
 */
import { evaluate, parsePolicy } from '../../auth/policy/index.ts';
import { AwsError } from '../../errors/aws-error.ts';
import type { Ids } from '../../ids.ts';
import type { Queue, Store } from '../../store/types.ts';
import { checkMessage, storeMessage } from './messages.ts';
import { refFromArn } from './names.ts';

export interface ServiceMessage {
  queueArn: string;
  body: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  /** FIFO queues (SNS FIFO topics); required there */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** the SenderId system attribute the receiver sees */
  senderId: string;
  /** 'sns.amazonaws.com' | 's3.amazonaws.com' — for the queue policy check */
  servicePrincipal: string;
  /** aws:SourceArn for the queue policy (topic ARN, bucket ARN) */
  sourceArn: string;
  /** aws:SourceAccount */
  sourceAccount: string;
}

export type ServiceDelivery = { ok: true; messageId: string } | { ok: false; reason: 'no-such-queue' | 'policy-denied' | 'invalid' };

async function queueOf(store: Store, queueArn: string): Promise<Queue | undefined> {
  const ref = refFromArn(queueArn);
  const q = ref && (await store.queues.getQueue(ref.accountId, ref.name));
  return q && q.arn === queueArn ? q : undefined;
}

/** Does the queue's policy allow `servicePrincipal` sqs:SendMessage on it, for that source? */
function policyAllows(q: Queue, servicePrincipal: string, sourceArn: string, sourceAccount: string): boolean {
  const text = q.attributes.Policy;
  if (!text) return false;
  let doc: ReturnType<typeof parsePolicy>;
  try {
    doc = parsePolicy(text, 'resource');
  } catch {
    return false;
  }
  return (
    evaluate(
      {
        action: 'sqs:SendMessage',
        resource: q.arn,
        principalArn: servicePrincipal,
        principalAccount: sourceAccount,
        isRoot: false,
        servicePrincipal,
        keys: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccount },
      },
      { identity: [], resource: doc },
    ).effect === 'Allow'
  );
}

/** Sends one message to a queue on a service's behalf, in `store`'s transaction. */
export async function deliverServiceMessage(store: Store, msg: ServiceMessage, now: Date, ids: Ids): Promise<ServiceDelivery> {
  const q = await queueOf(store, msg.queueArn);
  if (!q) return { ok: false, reason: 'no-such-queue' };
  if (!policyAllows(q, msg.servicePrincipal, msg.sourceArn, msg.sourceAccount)) return { ok: false, reason: 'policy-denied' };
  const m = {
    body: msg.body,
    ...(msg.messageAttributes ? { messageAttributes: msg.messageAttributes } : {}),
    ...(msg.messageGroupId !== undefined ? { groupId: msg.messageGroupId } : {}),
    ...(msg.messageDeduplicationId !== undefined ? { deduplicationId: msg.messageDeduplicationId } : {}),
    senderId: msg.senderId,
  };
  try {
    checkMessage(q, m);
  } catch (e) {
    if (e instanceof AwsError) return { ok: false, reason: 'invalid' };
    throw e;
  }
  const sent = await storeMessage(store, q, m, now, ids.uuid());
  return { ok: true, messageId: sent.messageId };
}

/** Would the queue's policy let `servicePrincipal` send (S3's PutBucketNotificationConfiguration validation)? */
export async function queueAllowsService(
  store: Store,
  queueArn: string,
  servicePrincipal: string,
  sourceArn: string,
  sourceAccount: string,
): Promise<'allowed' | 'no-such-queue' | 'denied'> {
  const q = await queueOf(store, queueArn);
  if (!q) return 'no-such-queue';
  return policyAllows(q, servicePrincipal, sourceArn, sourceAccount) ? 'allowed' : 'denied';
}
