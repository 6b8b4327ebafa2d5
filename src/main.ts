/**
 * Composition root: config → store → services → pipeline → HTTP. The only module, with
 * src/prepare.ts (what a first start makes), that opens the database, touches the data dir and
 * wires real clocks and ids.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve as resolvePath } from 'node:path';
import type { StartrailConfig } from './config.ts';
import { randomIds } from './ids.ts';
import { ensureRootKey } from './prepare.ts';
import { handle, type PipelineDeps } from './pipeline/index.ts';
import { indexServices } from './pipeline/resolve.ts';
import { startLifecycleSweep } from './services/s3/lifecycle-sweep.ts';
import { startAccessLogs } from './services/s3/access-log-delivery.ts';
import { loadModel } from './protocol/model.ts';
import { EmbeddedObjectStore, type ObjectStore } from './objects/index.ts';
import { createDelivery, trailTargets } from './delivery/index.ts';
import { createEdge, type EdgeOptions } from './server/http.ts';
import { s3Preflight } from './services/s3/index.ts';
import { allServices, checkServices } from './services/index.ts';
import { log } from './log.ts';
import { openStore } from './store/open.ts';
import { startEventRetention } from './audit/retention.ts';
import { startSnsDelivery } from './notify/loop.ts';
import { createBusLoop } from './bus/loop.ts';
import { createLakeLoop } from './services/cloudtrail/lake/loop.ts';
import { processWakeups } from './pipeline/wakeups.ts';
import { pollKey } from './services/sqs/message-ops.ts';
import { liveDestinations } from './delivery/live-destinations.ts';
import { startLogRetention } from './services/logs/retention.ts';
import { startAlarms } from './alarms/loop.ts';
import { startAccountRequests } from './services/organizations/create-account.ts';
import { snsPublicRoutes } from './services/sns/public.ts';
import type { Store } from './store/types.ts';

export interface Running {
  server: Server;
  url: string;
  store: Store;
  credentialsFile?: string;
  close(): Promise<void>;
}

/** Unsigned requests answered at the edge: S3's CORS preflight (docs/s3.md#cors), then SNS's public URLs. */
function unsignedRoutes(objects: ObjectStore, sns: NonNullable<EdgeOptions['unsigned']>): NonNullable<EdgeOptions['unsigned']> {
  return async (req) => (await s3Preflight(objects, req)) ?? sns(req);
}

export async function start(config: StartrailConfig): Promise<Running> {
  const store = await openStore(config);
  const credentialsFile = await ensureRootKey(store, config);
  const clock = () => new Date(Date.now() + config.clockOffsetSeconds * 1000);
  const objects = await EmbeddedObjectStore.open(join(config.dataDir, 'objects'));
  // versioned keys a crash left linked to an older version, relinked in the background (docs/s3.md#versioning)
  void objects.recovered.then((keys) => keys > 0 && log('object versions relinked after a crash', { keys }));
  const trailTarget = trailTargets(objects, clock, config.trailS3);
  const services = allServices({ objects, trailTarget });
  checkServices(services);
  const deps: PipelineDeps = {
    store,
    services: new Map(services.map((s) => [s.name, s])),
    index: indexServices(services),
    config: { accountId: config.accountId, region: config.region, maxBodyBytes: config.maxBodyBytes, publicUrl: config.publicUrl ?? '' },
    ids: randomIds,
    clock,
    audit: !config.auditDisabled,
    log,
    trustedProxies: new Set(config.trustedProxies),
  };
  const server = createEdge({
    maxBodyBytes: config.maxBodyBytes,
    log,
    region: config.region,
    consoleSessions: store.consoleSessions,
    api: (req) => handle(req, deps),
    health: async () => ({ status: 'ok', accountId: config.accountId }),
    unsigned: unsignedRoutes(objects, snsPublicRoutes({ store, config: deps.config, clock, ids: randomIds, log })),
    ...(config.clockOffsetSeconds ? { shiftedClock: clock } : {}),
  });
  // EventBridge (docs/eventbridge-delivery.md): its CloudTrail consumer starts at the stream's end before the first call is served
  const busLoop = createBusLoop({
    store,
    config: deps.config,
    ids: randomIds,
    destinations: liveDestinations,
    clock,
    log,
    owner: randomIds.uuid(),
    intervalMs: config.eventsIntervalMs,
    // SQS long polls on this node answer at once (the key is SQS's own: services/sqs/message-ops.ts pollKey)
    onQueueMessages: (arn, n) => {
      const [, , , , account, name] = arn.split(':');
      for (let i = 0; i < n; i++) processWakeups.notify(pollKey(`http://queue/${account}/${name}`));
    },
  });
  await busLoop.start();
  // CloudTrail Lake (docs/lake.md): event data stores fill from the record stream; queries run; retention
  const lakeLoop = createLakeLoop({
    store,
    clock,
    log,
    owner: randomIds.uuid(),
    target: trailTarget,
    objects,
    intervalMs: config.lakeIntervalMs,
    queryMemoryMb: config.lakeQueryMemoryMb,
  });
  lakeLoop.start();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  const retention = startEventRetention(store, { clock: deps.clock, log });
  const logRetention = startLogRetention(store, { clock: deps.clock, log });
  // S3 lifecycle rules (docs/s3.md#lifecycle), on startrail's clock
  // one node at a time sweeps, by the sweep's lease in the store
  const lifecycle = startLifecycleSweep(objects, { clock: deps.clock, log, lease: { kv: store.kv, owner: randomIds.uuid() } });
  // S3 server access logs (docs/s3.md#server-access-logging): one node at a time writes them, by the consumer's lease
  const accessLogs = startAccessLogs(
    { store, objects, model: loadModel('s3'), accountId: config.accountId, owner: randomIds.uuid() },
    {
      clock: deps.clock,
      log,
      intervalMs: config.s3AccessLogIntervalMs,
    },
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host}:${port}`;
  // known only once listening when the port is 0 (tests); set before any call can need it
  deps.config.publicUrl = config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  const delivery = createDelivery({
    store,
    target: trailTarget,
    accountId: config.accountId,
    clock,
    log,
    deliveryIntervalSeconds: config.deliveryInterval,
    digestIntervalSeconds: config.digestInterval,
    config: deps.config,
  });
  delivery.start();
  const snsDelivery = startSnsDelivery({ store, config: deps.config, ids: randomIds, clock, log, owner: randomIds.uuid() });
  const alarms =
    config.alarmsInterval > 0
      ? startAlarms({ store, config: deps.config, ids: randomIds, destinations: liveDestinations, clock, log, intervalMs: config.alarmsInterval * 1000 })
      : undefined;
  // Organizations' CreateAccount requests (docs/organizations.md#createaccount)
  const accountRequests = startAccountRequests({ store, ids: randomIds, clock, log });
  log('startrail listening', { url, dataDir: resolvePath(config.dataDir), ...(credentialsFile ? { credentialsFile } : {}) });
  return {
    server,
    url,
    store,
    credentialsFile,
    async close() {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      });
      retention.stop();
      logRetention.stop();
      await lifecycle.close();
      accessLogs.stop();
      await delivery.stop();
      await snsDelivery.stop();
      await busLoop.stop();
      await lakeLoop.stop();
      await alarms?.stop();
      await accountRequests.stop();
      await store.close();
    },
  };
}
