/**
 * Where startrail's own messages go (docs/notifications.md): SQS queues and SNS topics, reached
 * through the SQS and SNS services' in-transaction delivery functions, never through the API
 * pipeline. S3 event notifications (services/s3/notifications.ts), CloudTrail's log-file
 * notifications (delivery/notifications.ts) and CreateTrail's topic check use this one interface,
 * so tests can stand in for the queues and topics.
 */
import type { Ids } from '../ids.ts';
import type { Config } from '../services/types.ts';
import type { Store } from '../store/types.ts';

export type MessageAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>;

export interface ServiceMessage {
  queueArn: string;
  body: string;
  messageAttributes?: MessageAttributes;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** the SenderId system attribute the receiver sees */
  senderId: string;
  /** 'sns.amazonaws.com' | 's3.amazonaws.com': the queue policy's principal */
  servicePrincipal: string;
  /** aws:SourceArn for the queue policy */
  sourceArn: string;
  /** aws:SourceAccount */
  sourceAccount: string;
}
export type ServiceDelivery = { ok: true; messageId: string } | { ok: false; reason: 'no-such-queue' | 'policy-denied' | 'invalid' };

export interface ServicePublish {
  topicArn: string;
  message: string;
  subject?: string;
  messageAttributes?: MessageAttributes;
  /** 'cloudtrail.amazonaws.com' | 's3.amazonaws.com' | 'cloudwatch.amazonaws.com' (alarm actions): the topic policy's principal */
  servicePrincipal: string;
  sourceArn: string;
  sourceAccount: string;
}
export type ServicePublished = { ok: true; messageId: string } | { ok: false; reason: 'no-such-topic' | 'policy-denied' };

export type Permission<Missing extends string> = 'allowed' | Missing | 'denied';

/** The SQS and SNS services' delivery functions; each runs inside the caller's store transaction. */
export interface Destinations {
  deliverServiceMessage(store: Store, msg: ServiceMessage, now: Date, ids: Ids): Promise<ServiceDelivery>;
  queueAllowsService(store: Store, queueArn: string, servicePrincipal: string, sourceArn: string, sourceAccount: string): Promise<Permission<'no-such-queue'>>;
  publishFromService(store: Store, p: ServicePublish, now: Date, ids: Ids, config: Config): Promise<ServicePublished>;
  topicAllowsService(store: Store, topicArn: string, servicePrincipal: string, sourceArn: string, sourceAccount: string): Promise<Permission<'no-such-topic'>>;
}

/** A server without queues or topics: every destination is missing. */
export const noDestinations: Destinations = {
  deliverServiceMessage: async () => ({ ok: false, reason: 'no-such-queue' }),
  queueAllowsService: async () => 'no-such-queue',
  publishFromService: async () => ({ ok: false, reason: 'no-such-topic' }),
  topicAllowsService: async () => 'no-such-topic',
};
