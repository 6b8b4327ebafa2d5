/**
 * Log-file delivery for one logging session (docs/architecture.md#delivery; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html):
 *  1. plan: read records after the cursor (up to the commit horizon, and the closing call's record
 *     for a closed session), keep those in the trail's scope; persist the plan — range, delivery
 *     time, scope and bucket — before writing anything;
 *  2. write one object per account and region, keyed by (trail, region, first seq, last seq);
 *  3. commit: advance the cursor and record the files for the next digest, in one transaction.
 * A crash between 2 and 3 replays the persisted plan: the same objects are rewritten, byte for byte.
 */
import type { DeliveryBatch, Store, Trail, TrailEvent, TrailScope, TrailSession } from '../store/types.ts';
import { logFileKey, trailAccount, uniqueString } from './layout.ts';
import { buildLogFile, OBJECT_TYPE, type LogFile } from './log-files.ts';
import { inScope } from './scope.ts';
import { announceWrites, notifyLogFiles, type Notifier } from './notifications.ts';
import type { DeliveryTarget } from './targets.ts';

/** Records read per batch (a file per region): far below AWS's 50 MB compressed cap. */
const BATCH_RECORDS = 5000;

export interface BatchDeps {
  store: Store;
  target: (bucket: string) => DeliveryTarget;
  /** the configured account: owner of buckets made before there were several accounts */
  accountId: string;
  /** renews and confirms this node's lease on the trail; checked before each batch of a long delivery */
  holdsLease?: () => Promise<boolean>;
  /** S3 events and CloudTrail's SNS notifications, announced in each batch's commit (delivery/notifications.ts) */
  notifier?: Notifier;
}

/** This node no longer delivers the trail (its lease went to another node): stop, quietly — not a delivery failure. */
export class LeaseLost extends Error {
  constructor(trailArn: string) {
    super(`lease on ${trailArn} lost`);
  }
}

export interface PlannedFile {
  accountId: string;
  region: string;
  key: string;
  file: LogFile;
}

/**
 * What the trail delivers now: its settings, and its account — or, for an organization trail of a
 * management account, every account of the organization at this moment, so an account that joins is
 * covered from the next batch on (docs/accounts.md#trails).
 */
export async function scopeOf(store: Store, t: Trail): Promise<TrailScope> {
  const accountId = trailAccount(t);
  const scope: TrailScope = {
    homeRegion: t.homeRegion,
    isMultiRegionTrail: t.isMultiRegionTrail,
    includeGlobalServiceEvents: t.includeGlobalServiceEvents,
    selectors: t.selectors,
    accountId,
  };
  const orgId = await trailOrganization(store, t);
  // the management account is a member too (store/contracts/accounts.ts)
  if (orgId) scope.organization = { id: orgId, accounts: (await store.organizations.listMembers(orgId)).map((m) => m.accountId) };
  return scope;
}

/** The organization an organization trail delivers for: its account's, while that account manages it; else undefined. */
export async function trailOrganization(store: Store, t: Trail): Promise<string | undefined> {
  if (!t.isOrganizationTrail) return undefined;
  const accountId = trailAccount(t);
  const found = await store.organizations.ofAccount(accountId);
  return found && found.org.managementAccountId === accountId ? found.org.id : undefined;
}

/** The objects of a batch: the records in its range and scope, one file per account and region (sorted), keys derived. */
function batchFiles(trailArn: string, accountId: string, batch: DeliveryBatch, events: TrailEvent[]): PlannedFile[] {
  const groups = new Map<string, { accountId: string; region: string; events: TrailEvent[] }>();
  const org = batch.scope.organization;
  for (const e of events) {
    if (e.seq <= batch.from || e.seq > batch.to || !inScope(batch.scope, e)) continue;
    const region = e.region ?? batch.scope.homeRegion;
    const account = org ? e.accountId : accountId;
    const id = `${account}/${region}`;
    const group = groups.get(id);
    if (group) group.events.push(e);
    else groups.set(id, { accountId: account, region, events: [e] });
  }
  return [...groups.keys()].sort().map((id) => {
    const { accountId: account, region, events: list } = groups.get(id)!;
    const unique = uniqueString(trailArn, region, list[0]!.seq, list[list.length - 1]!.seq);
    const key = logFileKey({
      ...(batch.prefix ? { prefix: batch.prefix } : {}),
      ...(org ? { organizationId: org.id } : {}),
      accountId: account,
      region,
      time: new Date(batch.time),
      unique,
    });
    return { accountId: account, region, key, file: buildLogFile(list) };
  });
}

/** Where a closed session stops: its closing call's own record once stored, else the last record before the call. */
async function stopSeq(store: Store, session: TrailSession): Promise<number | undefined> {
  const stop = session.stop;
  if (!stop) return undefined;
  if (stop.resolved) return stop.seq;
  const own = await store.trails.findCallSeq(stop.seq, stop.eventName, stop.requestId);
  const resolved = { ...stop, seq: own ?? stop.seq, resolved: true };
  await store.trails.updateSession(session.id, { stop: resolved });
  session.stop = resolved;
  return resolved.seq;
}

/** Delivers everything due for the session; returns the number of records written. Throws on a failed write (nothing is committed then). */
export async function deliverLogs(d: BatchDeps, trail: Trail, session: TrailSession, now: Date): Promise<number> {
  let written = 0;
  for (let round = 0; round < 1000; round++) {
    if (round > 0 && d.holdsLease && !(await d.holdsLease())) throw new LeaseLost(trail.arn);
    let batch = session.batch;
    let events: TrailEvent[];
    if (batch) {
      events = await d.store.trails.readEvents(batch.from, batch.to, BATCH_RECORDS + 1);
    } else {
      const limit = await stopSeq(d.store, session);
      const horizon = Math.min(await d.store.trails.eventHorizon(now), limit ?? Infinity);
      if (horizon <= session.cursor) return written;
      events = await d.store.trails.readEvents(session.cursor, horizon, BATCH_RECORDS);
      const to = events.length === BATCH_RECORDS ? events[events.length - 1]!.seq : horizon;
      const scope = await scopeOf(d.store, trail);
      if (!events.some((e) => inScope(scope, e))) {
        await d.store.trails.advanceCursor(session.id, session.cursor, to);
        session.cursor = to;
        continue;
      }
      batch = { from: session.cursor, to, time: now.getTime(), scope, bucket: trail.s3BucketName, ...(trail.s3KeyPrefix ? { prefix: trail.s3KeyPrefix } : {}) };
      if (!(await d.store.trails.planBatch(session.id, session.cursor, batch))) throw new LeaseLost(trail.arn);
      session.batch = batch;
    }
    const files = batchFiles(trail.arn, batch.scope.accountId ?? trailAccount(trail), batch, events);
    const target = d.target(batch.bucket);
    for (const f of files) await target.putObject(batch.bucket, f.key, { body: f.file.body, ...OBJECT_TYPE, metadata: {} });
    await commitBatch(d, trail, session, batch, files, now, target);
    written += files.reduce((n, f) => n + f.file.records, 0);
  }
  return written;
}

async function commitBatch(
  d: BatchDeps,
  trail: Trail,
  session: TrailSession,
  batch: DeliveryBatch,
  files: PlannedFile[],
  now: Date,
  target: DeliveryTarget,
): Promise<void> {
  // the bucket's region for S3's event messages (read before the transaction: it is no store read)
  const state = d.notifier && target.kind === 'embedded' && files.length ? await target.bucket(batch.bucket) : undefined;
  const region = state ? (state.region ?? trail.homeRegion) : undefined;
  // S3's notifications are the bucket owner's configuration; CloudTrail's SNS notification is the trail's account's
  const owner = state?.owner ?? d.accountId;
  await d.store.transaction(async (tx) => {
    if (!(await tx.trails.advanceCursor(session.id, batch.from, batch.to))) return;
    const chains = await tx.trails.listChains(session.id);
    const own = batch.scope.accountId ?? trailAccount(trail);
    const home = chains.find((c) => c.accountId === own && c.region === trail.homeRegion) ?? chains[0];
    if (home) {
      const org = batch.scope.organization;
      for (const f of files)
        if (!chains.some((c) => c.accountId === f.accountId && c.region === f.region))
          await tx.trails.putChain({
            sessionId: session.id,
            accountId: f.accountId,
            region: f.region,
            ...(org ? { organizationId: org.id } : {}),
            periodStart: home.periodStart,
          });
      await tx.trails.addLogFiles(
        files.map((f) => ({
          sessionId: session.id,
          accountId: f.accountId,
          region: f.region,
          bucket: batch.bucket,
          key: f.key,
          hash: f.file.hash,
          oldestEventTime: f.file.oldestEventTime,
          newestEventTime: f.file.newestEventTime,
          deliveredAt: now,
        })),
      );
    }
    let notified = {};
    if (d.notifier && files.length) {
      // exactly once: in the transaction that advances the cursor (docs/notifications.md#exactly-once)
      const written = files.map((f) => ({ bucket: batch.bucket, key: f.key, body: f.file.body }));
      if (region !== undefined) await announceWrites(tx, d.notifier, owner, region, written, now);
      notified = await notifyLogFiles(tx, d.notifier, trail, trailAccount(trail), written, now);
    }
    if (files.length) await tx.trails.updateTrail(trail.id, { status: { latestDeliveryTime: now, ...notified } });
  });
  session.cursor = batch.to;
  delete session.batch;
}
