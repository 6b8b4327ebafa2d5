/**
 * SNS contracts (docs/sns.md): topics, subscriptions, the outbox of HTTP/S deliveries and the
 * message-signing key. store/topics.ts implements them; store/conformance/topics.ts checks them.
 */
import type { Tag } from './identities.ts';

export interface Topic {
  arn: string;
  accountId: string;
  region: string;
  name: string;
  /** the attributes the caller set (Policy, DisplayName, DeliveryPolicy, SignatureVersion, …); derived ones are computed */
  attributes: Record<string, string>;
  tags: Tag[];
  createdAt: Date;
}

export interface Subscription {
  arn: string;
  topicArn: string;
  accountId: string;
  /** the account that subscribed (`Owner`) */
  owner: string;
  protocol: string;
  endpoint: string;
  /** false while PendingConfirmation */
  confirmed: boolean;
  /** the token ConfirmSubscription takes (sent in the SubscriptionConfirmation message); set while pending */
  token?: string;
  /** the attributes the caller set (RawMessageDelivery, FilterPolicy, FilterPolicyScope, DeliveryPolicy, RedrivePolicy) */
  attributes: Record<string, string>;
  createdAt: Date;
}

/** One HTTP/S POST to make, written in the transaction that accepted the message (durable outbox). */
export interface SnsDelivery {
  id?: number;
  subscriptionArn: string;
  topicArn: string;
  endpoint: string;
  /** Notification, SubscriptionConfirmation, UnsubscribeConfirmation */
  messageType: string;
  messageId: string;
  /** the exact HTTP body */
  body: string;
  /** RawMessageDelivery: the body is the bare message */
  raw: boolean;
  /** failed attempts so far */
  attempts: number;
  nextAttemptAt: Date;
  createdAt: Date;
}

/** The key SNS signs messages with; the private half is sealed at rest. */
export interface SnsSigningKey {
  /** names the certificate: SimpleNotificationService-<id>.pem */
  id: string;
  privateKeyPem: string;
  certificatePem: string;
  createdAt: Date;
}

export interface TopicPage<T> {
  items: T[];
  /** set when there are more: pass it back as `after` */
  next?: string;
}

export interface TopicStore {
  /** Inserts the topic; false if a topic with this ARN exists (nothing changed). */
  createTopic(t: Topic): Promise<boolean>;
  getTopic(arn: string): Promise<Topic | undefined>;
  /** Topics of an account and region in ARN order, after `after` (an ARN), at most `limit`. */
  listTopics(accountId: string, region: string, after: string | undefined, limit: number): Promise<TopicPage<Topic>>;
  countTopics(accountId: string, region: string): Promise<number>;
  updateTopic(arn: string, patch: { attributes?: Record<string, string>; tags?: Tag[] }): Promise<void>;
  /** Removes the topic, its subscriptions and their pending deliveries. */
  deleteTopic(arn: string): Promise<void>;

  putSubscription(s: Subscription): Promise<void>;
  getSubscription(arn: string): Promise<Subscription | undefined>;
  /** Subscriptions of an account and region (or of one topic), in ARN order, after `after`. */
  listSubscriptions(q: { accountId: string; region: string; topicArn?: string }, after: string | undefined, limit: number): Promise<TopicPage<Subscription>>;
  updateSubscription(arn: string, patch: { confirmed?: boolean; token?: string | null; attributes?: Record<string, string> }): Promise<void>;
  /** Removes the subscription and its pending deliveries. */
  deleteSubscription(arn: string): Promise<void>;

  enqueueDeliveries(rows: SnsDelivery[]): Promise<void>;
  /**
   * Claims up to `limit` deliveries due at `now` that no other claim holds (its lease lapsed or none),
   * leased to `owner` until `leaseUntil`: two claims never get the same row while its lease runs.
   */
  claimDeliveries(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<SnsDelivery[]>;
  /** Sent (or dropped for good): the row is removed. */
  finishDelivery(id: number): Promise<void>;
  /** A failed attempt: counted, due again at `nextAttemptAt`, lease released. */
  retryDelivery(id: number, attempts: number, nextAttemptAt: Date): Promise<void>;
  pendingDeliveries(): Promise<number>;
  /** The outbox rows in id order, read only (leases untouched): for diagnostics and tests. */
  peekDeliveries(limit: number): Promise<(SnsDelivery & { leased: boolean })[]>;

  getSigningKey(): Promise<SnsSigningKey | undefined>;
  /** Stores the key unless one exists; returns the key in force (the first stored wins a race). */
  putSigningKey(k: SnsSigningKey): Promise<SnsSigningKey>;
}
