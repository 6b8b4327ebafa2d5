/**
 * The store conformance suite: one set of tests, per aggregate, that every Store backend passes
 * (docs/architecture.md#storage). conformance.test.ts runs it on SQLite and on PostgreSQL; a new
 * backend runs it too:
 *   runStoreConformance('sqlite', () => openTestStore('sqlite'))
 * Every test gets a fresh store. What only one backend has (SQLite's row leases and group commit,
 * PostgreSQL's advisory-lock leases, append lock and non-blocking purge) is tested beside that
 * backend, in sqlite/ and postgres/.
 */
import { describe } from 'node:test';
import type { Backend } from '../testing.ts';
import type { OpenStore, Suite } from './harness.ts';
import { runBucketNotificationConformance } from './bucket-notifications.ts';
import { runConsoleSessionConformance } from './console-sessions.ts';
import { runEventConformance } from './events.ts';
import { runIdentityConformance } from './identities.ts';
import { runKvConformance } from './kv.ts';
import { runProjectConformance } from './projects.ts';
import { runTrailConformance } from './trails.ts';
import { runQueueConformance } from './queues.ts';
import { runTopicConformance } from './topics.ts';
import { runRecordConsumerConformance } from './record-consumers.ts';
import { runEventBusConformance } from './event-buses.ts';
import { runEventDeliveryConformance } from './event-deliveries.ts';
import { runLogConformance } from './logs.ts';
import { runMetricConformance } from './metrics.ts';
import { runAccountConformance } from './accounts.ts';

/**
 * `concurrency`: tests of one aggregate run side by side (each has its own store, so they can);
 * on PostgreSQL most of a test's time is making and dropping its schema, spent waiting on the server.
 */
export function runStoreConformance(backend: Backend, open: OpenStore, { concurrency = 1 }: { concurrency?: number } = {}): void {
  const suite: Suite = { backend, open };
  const aggregate = (name: string, run: (s: Suite) => void) => describe(`${backend} store: ${name}`, { concurrency }, () => run(suite));
  aggregate('identities', runIdentityConformance);
  aggregate('kv and transactions', runKvConformance);
  aggregate('events', runEventConformance);
  aggregate('projects', runProjectConformance);
  aggregate('trails and delivery state', runTrailConformance);
  aggregate('console sessions', runConsoleSessionConformance);
  aggregate('bucket notifications', runBucketNotificationConformance);
  aggregate('SQS queues and messages', runQueueConformance);
  aggregate('SNS topics, subscriptions and deliveries', runTopicConformance);
  aggregate('record-stream consumers', runRecordConsumerConformance);
  aggregate('EventBridge buses, rules, connections', runEventBusConformance);
  aggregate('EventBridge deliveries and schedules', runEventDeliveryConformance);
  aggregate('CloudWatch Logs groups, streams, events and filters', runLogConformance);
  aggregate('CloudWatch metrics and alarms', runMetricConformance);
  aggregate('accounts, organizations and per-account views', runAccountConformance);
}
