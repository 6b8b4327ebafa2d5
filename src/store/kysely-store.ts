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
import { KyselyLogStore } from './logs.ts';
import type { LogStore } from './contracts/logs.ts';
import { KyselyMetricStore } from './metrics.ts';
import type { MetricStore } from './contracts/metrics.ts';
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
  readonly logs: LogStore;
  readonly metrics: MetricStore;

  constructor(
    private readonly db: Kysely<DB> | Transaction<DB>,
    private readonly box: SecretBox,
    private readonly onClose: () => Promise<void> = async () => {},
    private readonly inTransaction = false,
    /** PostgreSQL: delivery leases as advisory locks (postgres/leases.ts); SQLite: the lease columns of `trails` */
    private readonly leases?: TrailLeases,
  ) {
    this.identities = new KyselyIdentityStore(db, box);
    this.kv = new KyselyKvStore(db);
    this.events = new KyselyEventStore(db);
    this.dataEvents = new KyselyDataEventStore(db);
    this.projects = new KyselyProjectStore(db, box);
    this.trails = new KyselyTrailStore(db, box, leases);
    this.consoleSessions = new KyselyConsoleSessionStore(db, box);
    this.queues = new KyselyQueueStore(db);
    this.topics = new KyselyTopicStore(db, box);
    this.bucketNotifications = new KyselyBucketNotificationStore(db);
    this.recordConsumers = new KyselyRecordConsumerStore(db);
    this.logs = new KyselyLogStore(db);
    this.metrics = new KyselyMetricStore(db);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return (this.db as Kysely<DB>).transaction().execute((trx) => fn(new KyselyStore(trx, this.box, this.onClose, true, this.leases)));
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
