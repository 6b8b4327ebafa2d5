/**
 * Storage contracts, in domain terms. Each aggregate is an interface whose methods document their
 * contract (one file per aggregate in store/contracts/); every backend (SQLite, PostgreSQL)
 * implements them and passes store/conformance. Secrets cross these interfaces in plain text:
 * backends encrypt them at rest.
 */
import type { BucketNotificationStore } from './contracts/bucket-notifications.ts';
import type { ConsoleSessionStore } from './contracts/console-sessions.ts';
import type { DataEventStore, EventStore } from './contracts/events.ts';
import type { IdentityStore } from './contracts/identities.ts';
import type { ProjectStore } from './contracts/projects.ts';
import type { TrailStore } from './contracts/trails.ts';
import type { QueueStore } from './contracts/queues.ts';
import type { TopicStore } from './contracts/topics.ts';
import type { RecordConsumerStore } from './contracts/record-consumers.ts';
import type { EventBusStore } from './contracts/event-buses.ts';
import type { EventDeliveryStore } from './contracts/event-deliveries.ts';
import type { LogStore } from './contracts/logs.ts';
import type { MetricStore } from './contracts/metrics.ts';
import type { AccountStore, OrganizationStore } from './contracts/accounts.ts';
import type { LakeStore } from './contracts/lake.ts';

export type * from './contracts/bucket-notifications.ts';
export type * from './contracts/console-sessions.ts';
export type * from './contracts/events.ts';
export type * from './contracts/identities.ts';
export type * from './contracts/projects.ts';
export type * from './contracts/trails.ts';
export type * from './contracts/queues.ts';
export type * from './contracts/topics.ts';
export type * from './contracts/record-consumers.ts';
export type * from './contracts/event-buses.ts';
export type * from './contracts/event-deliveries.ts';
export type * from './contracts/logs.ts';
export type * from './contracts/metrics.ts';
export type * from './contracts/accounts.ts';
export type * from './contracts/lake.ts';

/** Small named values: the root key, signing-key material, settings. */
export interface KvStore {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
  /**
   * Compare and set: stores `value` only if the key holds `expected` now (undefined: the key is
   * absent), in one statement; true when it did. Nodes sharing the database use it for small
   * leases (services/s3/lifecycle-sweep.ts).
   */
  swap(key: string, expected: string | undefined, value: string): Promise<boolean>;
}

export interface Store {
  /**
   * The account this view is scoped to (docs/accounts.md): identities, projects, trails and Event
   * history read and write that account's rows only. The store a node opens is scoped to the
   * configured account; the pipeline hands each call a view scoped to its caller's account.
   */
  readonly accountId: string;
  /** The same store (and transaction, inside one) scoped to another account. */
  forAccount(accountId: string): Store;
  /** every account on this server (global) */
  accounts: AccountStore;
  /** AWS Organizations: organizations, memberships, trusted service access (global) */
  organizations: OrganizationStore;
  identities: IdentityStore;
  kv: KvStore;
  events: EventStore;
  /** data events (S3 object calls): recorded, never in Event history */
  dataEvents: DataEventStore;
  projects: ProjectStore;
  trails: TrailStore;
  /** web console sign-in sessions */
  consoleSessions: ConsoleSessionStore;
  /** SQS queues and messages */
  queues: QueueStore;
  /** SNS topics, subscriptions, the HTTP/S delivery outbox, the signing key */
  topics: TopicStore;
  /** S3 bucket notification configurations (docs/notifications.md) */
  bucketNotifications: BucketNotificationStore;
  /** consumers of the record stream besides trails' S3 delivery: EventBridge, CloudWatch Logs delivery (docs/architecture.md#record-stream) */
  recordConsumers: RecordConsumerStore;
  /** EventBridge buses, rules and targets, connections, API destinations (docs/eventbridge.md) */
  eventBuses: EventBusStore;
  /** EventBridge's retried target deliveries and schedule fire times (docs/eventbridge-delivery.md) */
  eventDeliveries: EventDeliveryStore;
  /** CloudWatch Logs: log groups, streams, events, metric filters, resource policies (docs/logs.md) */
  logs: LogStore;
  /** CloudWatch metrics, alarms and alarm history (docs/cloudwatch.md) */
  metrics: MetricStore;
  /** CloudTrail Lake: event data stores, their records, queries (docs/lake.md; global) */
  lake: LakeStore;
  /** Runs fn in one transaction: everything it does through `tx` commits together or not at all. Nested calls join the outer transaction. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
