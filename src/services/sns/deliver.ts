/**
 * How other services publish to SNS (S3 event notifications, CloudTrail's log-file notifications):
 * inside the caller's store transaction, the topic's policy checked for the service principal as
 * AWS checks it, then the same fan-out as Publish (publish.ts) — SQS subscriptions delivered in
 * that transaction, HTTP/S ones as durable outbox rows. docs/sns.md#service-publishing.
 */
import type { Ids } from '../../ids.ts';
import type { Store } from '../../store/types.ts';
import type { Config } from '../types.ts';
import { policyAllowsService } from './policy.ts';
import { fanOut } from './publish.ts';

export interface ServicePublish {
  topicArn: string;
  message: string;
  subject?: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  /** 'cloudtrail.amazonaws.com' | 's3.amazonaws.com' — for the topic policy check */
  servicePrincipal: string;
  /** the trail ARN, the bucket ARN */
  sourceArn: string;
  sourceAccount: string;
}

export type ServicePublished = { ok: true; messageId: string } | { ok: false; reason: 'no-such-topic' | 'policy-denied' };

export async function publishFromService(store: Store, p: ServicePublish, now: Date, ids: Ids, config: Config): Promise<ServicePublished> {
  return store.transaction(async (tx) => {
    const topic = await tx.topics.getTopic(p.topicArn);
    if (!topic) return { ok: false, reason: 'no-such-topic' };
    if (!policyAllowsService(topic, p.servicePrincipal, p.sourceArn, p.sourceAccount)) return { ok: false, reason: 'policy-denied' };
    const messageId = ids.uuid();
    await fanOut(
      tx,
      topic,
      { messageId, message: p.message, ...(p.subject !== undefined ? { subject: p.subject } : {}), attributes: p.messageAttributes ?? {} },
      now,
      ids,
      config,
    );
    return { ok: true, messageId };
  });
}

/** Would the topic's policy let `servicePrincipal` publish (S3's PutBucketNotificationConfiguration and CloudTrail's CreateTrail checks)? */
export async function topicAllowsService(
  store: Store,
  topicArn: string,
  servicePrincipal: string,
  sourceArn: string,
  sourceAccount: string,
): Promise<'allowed' | 'no-such-topic' | 'denied'> {
  const topic = await store.topics.getTopic(topicArn);
  if (!topic) return 'no-such-topic';
  return policyAllowsService(topic, servicePrincipal, sourceArn, sourceAccount) ? 'allowed' : 'denied';
}
