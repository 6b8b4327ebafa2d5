/**
 * Digest delivery for one logging session (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html; docs/architecture.md#delivery): each (session,
 * account, region) chain gets a digest per digest interval — listing the files delivered in it, or none — and
 * each links to the previous one. Periods are fixed ([start, start + interval]), so a digest retried
 * after a crash has the same key and bytes. A closed session, once its last records are delivered,
 * gets a final digest per region ending at the stop, then is removed.
 */
import type { DigestChain, PendingLogFile, Store, Trail, TrailSession } from '../store/types.ts';
import { buildDigest } from './digest-file.ts';
import { OBJECT_TYPE } from './log-files.ts';
import { currentSigningKey } from './signing-keys.ts';
import { announceWrites, type Notifier } from './notifications.ts';
import type { DeliveryTarget } from './targets.ts';

export interface DigestDeps {
  store: Store;
  target: (bucket: string) => DeliveryTarget;
  accountId: string;
  digestIntervalMs: number;
  /** S3 events for digests written into the embedded store (no SNS notification: CloudTrail sends those for log files only) */
  notifier?: Notifier;
}

/** Catch-up bound per chain and tick (a server down for days writes its missed periods over several ticks). */
const MAX_PERIODS_PER_TICK = 500;

/** Writes the digests due; returns how many. For a closed, fully delivered session also the final ones, and removes it. */
export async function deliverDigests(d: DigestDeps, trail: Trail, session: TrailSession, now: Date): Promise<number> {
  const stop = session.stop;
  // A tick's `now` is read when it starts; a stop made while it runs waits for the next tick, so the
  // final digest's delivery time (GetTrailStatus LatestDigestDeliveryTime) is never before the stop.
  const closing = !!stop && stop.resolved === true && !session.batch && session.cursor >= stop.seq && stop.at.getTime() <= now.getTime();
  // no periodic digest after the stop: the final one, ending at the stop, follows the last period
  const until = stop && stop.at.getTime() < now.getTime() ? stop.at : now;
  let written = 0;
  for (let chain of await d.store.trails.listChains(session.id)) {
    for (let i = 0; i < MAX_PERIODS_PER_TICK && chain.periodStart.getTime() + d.digestIntervalMs <= until.getTime(); i++) {
      const end = new Date(chain.periodStart.getTime() + d.digestIntervalMs);
      chain = await writeDigest(d, trail, chain, end, await d.store.trails.pendingLogFiles(chain, end), now, false);
      written++;
    }
    if (closing && chain.periodStart.getTime() + d.digestIntervalMs > stop.at.getTime()) {
      // ends at the stop (persisted, so a retry is the same object), at least a second after its start so its key is new
      const end = new Date(Math.max(Math.floor(stop.at.getTime() / 1000) * 1000, chain.periodStart.getTime() + 1000));
      await writeDigest(d, trail, chain, end, await d.store.trails.pendingLogFiles(chain), now, true);
      written++;
    }
  }
  if (closing && !(await d.store.trails.listChains(session.id)).length) await d.store.trails.deleteSession(session.id);
  return written;
}

async function writeDigest(
  d: DigestDeps,
  trail: Trail,
  chain: DigestChain,
  end: Date,
  files: PendingLogFile[],
  now: Date,
  final: boolean,
): Promise<DigestChain> {
  const key = await currentSigningKey(d.store, chain.region, now);
  const digest = buildDigest({
    accountId: chain.accountId,
    ...(chain.organizationId ? { organizationId: chain.organizationId } : {}),
    trailName: trail.name,
    homeRegion: trail.homeRegion,
    region: chain.region,
    bucket: trail.s3BucketName,
    ...(trail.s3KeyPrefix ? { prefix: trail.s3KeyPrefix } : {}),
    start: chain.periodStart,
    end,
    ...(chain.previous ? { previous: chain.previous } : {}),
    files,
    key,
  });
  const target = d.target(digest.bucket);
  await target.putObject(digest.bucket, digest.key, { body: digest.body, ...OBJECT_TYPE, metadata: digest.metadata });
  const state = d.notifier && target.kind === 'embedded' ? await target.bucket(digest.bucket) : undefined;
  const region = state ? (state.region ?? trail.homeRegion) : undefined;
  const next: DigestChain = {
    sessionId: chain.sessionId,
    accountId: chain.accountId,
    region: chain.region,
    ...(chain.organizationId ? { organizationId: chain.organizationId } : {}),
    periodStart: end,
    previous: { bucket: digest.bucket, key: digest.key, signature: digest.signature, hash: digest.hash },
  };
  await d.store.transaction(async (tx) => {
    await tx.trails.deleteLogFiles(files.map((f) => f.id!));
    if (final) await tx.trails.deleteChains(chain.sessionId, chain);
    else await tx.trails.putChain(next);
    await tx.trails.updateTrail(trail.id, { status: { latestDigestDeliveryTime: now, latestDigestDeliveryError: undefined } });
    if (d.notifier && region !== undefined)
      await announceWrites(tx, d.notifier, state?.owner ?? d.accountId, region, [{ bucket: digest.bucket, key: digest.key, body: digest.body }], now);
  });
  return next;
}
