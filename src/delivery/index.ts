/**
 * Trail delivery (docs/architecture.md#delivery): what main.ts starts and stops. Runs `tick` every delivery interval
 * (STARTRAIL_DELIVERY_INTERVAL seconds; 0 = no delivery loop); ticks never overlap. Tests call
 * `tick(now)` directly with their own clock.
 */
import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../objects/types.ts';
import { randomIds, type Ids } from '../ids.ts';
import type { Config } from '../services/types.ts';
import type { Store } from '../store/types.ts';
import type { Destinations } from './destinations.ts';
import { liveDestinations } from './live-destinations.ts';
import { externalS3Client, externalTarget, type ExternalS3Settings } from './external-s3.ts';
import { tick, type DeliveryDeps, type TickReport } from './loop.ts';
import { embeddedTarget, routedTarget, type DeliveryTarget } from './targets.ts';

export { tick, backoffMs, type DeliveryDeps, type TickReport } from './loop.ts';
export { embeddedTarget, noTarget, routedTarget, DeliveryError, type DeliveryTarget } from './targets.ts';
export { externalS3Client, externalTarget, type ExternalS3Settings } from './external-s3.ts';

export interface DeliveryOptions {
  store: Store;
  target: (bucket: string) => DeliveryTarget;
  accountId: string;
  deliveryIntervalSeconds: number;
  digestIntervalSeconds: number;
  clock: () => Date;
  log: (msg: string, fields?: Record<string, unknown>) => void;
  /** the server's configuration (publicUrl for SNS's messages); default: this account, no public URL */
  config?: Config;
  /** queues and topics for S3 events and CloudTrail's notifications (docs/notifications.md); default: the server's */
  destinations?: Destinations;
  ids?: Ids;
}

export interface Delivery {
  deps: DeliveryDeps;
  tick(now?: Date): Promise<TickReport>;
  start(): void;
  stop(): Promise<void>;
}

export function createDelivery(o: DeliveryOptions): Delivery {
  const intervalMs = o.deliveryIntervalSeconds * 1000;
  const deps: DeliveryDeps = {
    store: o.store,
    target: o.target,
    accountId: o.accountId,
    log: o.log,
    owner: randomUUID(),
    digestIntervalMs: Math.max(1, o.digestIntervalSeconds) * 1000,
    leaseMs: Math.max(30_000, 3 * intervalMs),
    notifier: {
      destinations: o.destinations ?? liveDestinations,
      ids: o.ids ?? randomIds,
      config: o.config ?? { accountId: o.accountId, region: 'us-east-1', maxBodyBytes: 0, publicUrl: '' },
    },
  };
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const run = (now: Date) => tick(deps, now);
  return {
    deps,
    tick: (now = o.clock()) => run(now),
    start() {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(() => {
        if (running) return;
        running = run(o.clock())
          .catch((e) => o.log('delivery tick failed', { error: e instanceof Error ? e.stack : String(e) }))
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

/** Each trail bucket's service: the embedded store, or the external one for the buckets the settings send there. */
export function trailTargets(
  objects: ObjectStore,
  clock: () => Date,
  external?: ExternalS3Settings & { buckets: string[] },
): (bucket: string) => DeliveryTarget {
  return routedTarget({
    embedded: embeddedTarget(objects, clock),
    ...(external ? { external: externalTarget(externalS3Client(external)) } : {}),
    externalBuckets: external?.buckets ?? [],
  });
}
