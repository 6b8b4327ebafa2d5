/**
 * SNS → SQS: the one place SNS reaches SQS, through SQS's service-delivery contract
 * (`deliverServiceMessage` of src/services/sqs/deliver.ts, run inside the caller's transaction so
 * the message commits with the Publish or not at all; the queue's policy must allow
 * sns.amazonaws.com for the topic, as on AWS:
 * https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html).
 *
 * MERGE NOTE: until src/services/sqs/deliver.ts is merged into this branch, this module declares
 * the contract's types and answers every delivery `no-such-queue`. Once it is there, replace the
 * body below with:  export { deliverServiceMessage, type ServiceMessage, type ServiceDelivery } from '../sqs/deliver.ts';
 */
import type { Ids } from '../../ids.ts';
import type { Store } from '../../store/types.ts';

export interface ServiceMessage {
  queueArn: string;
  body: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  senderId: string;
  servicePrincipal: string;
  sourceArn: string;
  sourceAccount: string;
}
export type ServiceDelivery = { ok: true; messageId: string } | { ok: false; reason: 'no-such-queue' | 'policy-denied' | 'invalid' };

export async function deliverServiceMessage(_store: Store, _msg: ServiceMessage, _now: Date, _ids: Ids): Promise<ServiceDelivery> {
  return { ok: false, reason: 'no-such-queue' };
}
