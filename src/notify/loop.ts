/**
 * Background delivery of SNS messages to HTTP/S endpoints (docs/sns.md#delivery), off the request
 * path. The outbox rows are written in the transaction that accepted the message
 * (src/services/sns/publish.ts), so nothing accepted is lost on a crash; `tick(now)` claims due rows
 * with a lease (store/topics.ts: on several nodes each row is sent by one node at a time; a node
 * that dies mid-send leaves its rows to be claimed again once the lease lapses, so a message may be
 * sent twice, as SNS's at-least-once delivery allows), sends each, then removes it (sent, or out of
 * retries: dropped, or to the subscription's dead-letter queue) or schedules its retry by the
 * subscription's effective delivery policy. The clock is injected.
 */
import type { Ids } from '../ids.ts';
import type { SnsDelivery, Store } from '../store/types.ts';
import type { Config } from '../services/types.ts';
import { effectivePolicy, retryDelaySeconds } from '../services/sns/delivery-policy.ts';
import { onOutboxWrite } from '../services/sns/outbox-signal.ts';
import { toDeadLetterQueue } from '../services/sns/publish.ts';
import { fetchPoster, send, type Poster } from './send.ts';

export interface SnsDeliveryDeps {
  store: Store;
  config: Config;
  ids: Ids;
  clock: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** this node, for the lease */
  owner: string;
  /** ms between rounds (default 1000) */
  intervalMs?: number;
  /** how long a claim holds its rows (default 60 s: longer than a send's 15-second timeout) */
  leaseMs?: number;
  /** rows per round (default 50) */
  batch?: number;
  post?: Poster;
}

/** After rows are written on this node: long enough for the writing transaction to commit (a SQLite group commits within 20 ms). */
const WAKE_MS = 50;

export interface SnsTickReport {
  sent: number;
  retried: number;
  dropped: number;
}

export async function tickSnsDelivery(d: SnsDeliveryDeps, now: Date): Promise<SnsTickReport> {
  const report: SnsTickReport = { sent: 0, retried: 0, dropped: 0 };
  const rows = await d.store.topics.claimDeliveries(d.owner, now, new Date(now.getTime() + (d.leaseMs ?? 60_000)), d.batch ?? 50);
  await Promise.all(rows.map((row) => deliverOne(d, row, now, report)));
  return report;
}

async function deliverOne(d: SnsDeliveryDeps, row: SnsDelivery, now: Date, report: SnsTickReport): Promise<void> {
  const id = row.id!;
  const [topic, sub] = await Promise.all([d.store.topics.getTopic(row.topicArn), d.store.topics.getSubscription(row.subscriptionArn)]);
  // a Notification for a subscription that is gone is not sent (its rows are deleted with it; this is a race)
  if (row.messageType === 'Notification' && !sub) {
    await d.store.topics.finishDelivery(id);
    report.dropped++;
    return;
  }
  let policy: ReturnType<typeof effectivePolicy>;
  try {
    policy = effectivePolicy(topic?.attributes.DeliveryPolicy || undefined, sub?.attributes.DeliveryPolicy || undefined);
  } catch {
    policy = effectivePolicy(undefined, undefined);
  }
  const outcome = await send(d.post ?? fetchPoster, row, policy.contentType);
  if (outcome.kind === 'ok') {
    await d.store.topics.finishDelivery(id);
    report.sent++;
    return;
  }
  const attempts = row.attempts + 1;
  const delay = outcome.kind === 'retry' ? retryDelaySeconds(policy.retry, attempts) : undefined;
  if (delay !== undefined) {
    await d.store.topics.retryDelivery(id, attempts, new Date(now.getTime() + delay * 1000));
    report.retried++;
    return;
  }
  d.log('sns delivery dropped', { subscription: row.subscriptionArn, messageId: row.messageId, attempts, detail: outcome.detail });
  await d.store.transaction(async (tx) => {
    if (sub && topic && row.messageType === 'Notification') await toDeadLetterQueue(tx, sub, topic, row.body, now, d.ids);
    await tx.topics.finishDelivery(id);
  });
  report.dropped++;
}

/** Starts the loop: a round every `intervalMs`, rounds never overlapping; `stop` waits for the round in flight. */
export function startSnsDelivery(d: SnsDeliveryDeps): { stop(): Promise<void>; tick(now?: Date): Promise<SnsTickReport> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  let again = false;
  let stopped = false;
  const round = (): void => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = tickSnsDelivery(d, d.clock())
      .catch((e) => d.log('sns delivery round failed', { error: e instanceof Error ? e.stack : String(e) }))
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          round();
        }
      });
  };
  const timer = setInterval(round, d.intervalMs ?? 1000);
  timer.unref();
  // rows written on this node: a round once their transaction has committed (WAKE_MS), not at the next interval
  let wake: NodeJS.Timeout | undefined;
  const unsubscribe = onOutboxWrite(() => {
    if (wake || stopped) return;
    wake = setTimeout(() => {
      wake = undefined;
      round();
    }, WAKE_MS);
  });
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (wake) clearTimeout(wake);
      unsubscribe();
      await running;
    },
    tick: (now) => tickSnsDelivery(d, now ?? d.clock()),
  };
}
