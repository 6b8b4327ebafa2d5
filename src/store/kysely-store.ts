/**
 * The Store over a Kysely instance: every aggregate bound to one executor, and transactions as
 * closures. Both backends use this class; they differ only in how the Kysely instance is opened.
 */
import type { Kysely, Transaction } from 'kysely';
import { KyselyBucketNotificationStore } from './bucket-notifications.ts';
import { KyselyConsoleSessionStore } from './console-sessions.ts';
import { KyselyEventStore } from './events.ts';
import { KyselyDataEventStore } from './data-events.ts';
import { KyselyIdentityStore } from './identities.ts';
import { KyselyKvStore } from './kv.ts';
import { KyselyProjectStore } from './projects.ts';
import { KyselyTrailStore } from './trails.ts';
import { KyselyQueueStore } from './queues.ts';
import type { QueueStore } from './contracts/queues.ts';
import { KyselyTopicStore } from './topics.ts';
import { KyselyRecordConsumerStore } from './record-consumers.ts';
import type { RecordConsumerStore } from './contracts/record-consumers.ts';
import { KyselyEventBusStore } from './event-buses.ts';
import type { EventBusStore } from './contracts/event-buses.ts';
import { KyselyEventDeliveryStore } from './event-deliveries.ts';
import type { EventDeliveryStore } from './contracts/event-deliveries.ts';
import { KyselyLogStore } from './logs.ts';
import type { LogStore } from './contracts/logs.ts';
import { KyselyMetricStore } from './metrics.ts';
import type { MetricStore } from './contracts/metrics.ts';
import { KyselyAccountStore, KyselyOrganizationStore } from './accounts.ts';
import type { AccountStore, OrganizationStore } from './contracts/accounts.ts';
import { KyselyLakeStore } from './lake.ts';
import type { LakeStore } from './contracts/lake.ts';
import { DEFAULT_ACCOUNT_ID } from './migrations/index.ts';
import type { DB } from './schema.ts';
import type { SecretBox } from './secret-box.ts';
import type { TrailLeases } from './trails.ts';
import type {
  BucketNotificationStore,
  ConsoleSessionStore,
  DataEventStore,
  EventStore,
  IdentityStore,
  KvStore,
  ProjectStore,
  Store,
  TopicStore,
  TrailStore,
} from './types.ts';

export class KyselyStore implements Store {
  readonly accounts: AccountStore;
  readonly organizations: OrganizationStore;
  readonly identities: IdentityStore;
  readonly kv: KvStore;
  readonly events: EventStore;
  readonly dataEvents: DataEventStore;
  readonly projects: ProjectStore;
  readonly trails: TrailStore;
  readonly consoleSessions: ConsoleSessionStore;
  readonly queues: QueueStore;
  readonly topics: TopicStore;
  readonly bucketNotifications: BucketNotificationStore;
  readonly recordConsumers: RecordConsumerStore;
  readonly eventBuses: EventBusStore;
  readonly eventDeliveries: EventDeliveryStore;
  readonly logs: LogStore;
  readonly metrics: MetricStore;
  readonly lake: LakeStore;

  constructor(
    private readonly db: Kysely<DB> | Transaction<DB>,
    private readonly box: SecretBox,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly inTransaction = false,
    /** PostgreSQL: delivery leases as advisory locks (postgres/leases.ts); SQLite: the lease columns of `trails` */
    private readonly leases?: TrailLeases,
    /** the account this view is scoped to (Store.accountId) */
    readonly accountId: string = DEFAULT_ACCOUNT_ID,
  ) {
    this.accounts = new KyselyAccountStore(db);
    this.organizations = new KyselyOrganizationStore(db);
    this.identities = new KyselyIdentityStore(db, box, accountId);
    this.kv = new KyselyKvStore(db);
    this.events = new KyselyEventStore(db, accountId);
    this.dataEvents = new KyselyDataEventStore(db);
    this.projects = new KyselyProjectStore(db, box, accountId);
    this.trails = new KyselyTrailStore(db, box, leases);
    this.consoleSessions = new KyselyConsoleSessionStore(db, box);
    this.queues = new KyselyQueueStore(db);
    this.topics = new KyselyTopicStore(db, box);
    this.bucketNotifications = new KyselyBucketNotificationStore(db);
    this.recordConsumers = new KyselyRecordConsumerStore(db);
    this.eventBuses = new KyselyEventBusStore(db, box);
    this.eventDeliveries = new KyselyEventDeliveryStore(db);
    this.logs = new KyselyLogStore(db);
    this.metrics = new KyselyMetricStore(db);
    this.lake = new KyselyLakeStore(db);
  }

  forAccount(accountId: string): Store {
    if (accountId === this.accountId) return this;
    return new KyselyStore(this.db, this.box, this.onClose, this.inTransaction, this.leases, accountId);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return (this.db as Kysely<DB>).transaction().execute((trx) => fn(new KyselyStore(trx, this.box, this.onClose, true, this.leases, this.accountId)));
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
