/**
 * The lifecycle sweep (docs/s3.md#lifecycle): applies each bucket's enabled lifecycle rules on
 * startrail's clock, as S3 does (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html):
 * - Expiration (Days: the object's creation plus the days, rounded up to the next midnight UTC; or a
 *   Date) of a current version: removes it in a bucket never versioned, else adds a delete marker;
 * - ExpiredObjectDeleteMarker: removes a delete marker that is the key's only version left;
 * - NoncurrentVersionExpiration: removes a noncurrent version NoncurrentDays (rounded likewise) after
 *   it became noncurrent, keeping the NewerNoncurrentVersions newest noncurrent ones;
 * - AbortIncompleteMultipartUpload: aborts uploads DaysAfterInitiation after their start.
 * A version under Object Lock retention or legal hold is never removed (the store refuses). These
 * actions are S3's own, not API calls: CloudTrail records none of them. Nodes sharing a store and an
 * object root sweep one at a time: a round runs on the node holding the sweep's lease (a kv entry
 * taken and renewed by compare and set, KvStore.swap), which it renews each round and before each
 * bucket; when the holder dies its lease runs out and another node's next round takes it over.
 * An action already taken is not taken again, so a round that overlaps a takeover does no harm.
 */
import { ObjectStoreError, type ObjectStore, type ObjectVersion } from '../../objects/index.ts';
import type { LifecycleRule } from './model.generated.ts';
import { filterPrefix, filterTags, lifecycleOf } from './lifecycle.ts';
import { startPeriodic, type PeriodicLog, type PeriodicTimer } from '../../periodic.ts';
import type { KvStore } from '../../store/types.ts';

const DAY = 86_400_000;

/** `from` plus `days`, rounded up to the next midnight UTC (S3's rule). */
export function dueAt(from: Date, days: number): Date {
  const t = from.getTime() + days * DAY;
  return new Date(Math.ceil(t / DAY) * DAY);
}

function matches(rule: LifecycleRule, v: { key: string; size: number; tags?: { key: string; value: string }[] }): boolean {
  if (!v.key.startsWith(filterPrefix(rule))) return false;
  for (const t of filterTags(rule)) if (!v.tags?.some((x) => x.key === t.Key && x.value === t.Value)) return false;
  const gt = rule.Filter?.ObjectSizeGreaterThan ?? rule.Filter?.And?.ObjectSizeGreaterThan;
  const lt = rule.Filter?.ObjectSizeLessThan ?? rule.Filter?.And?.ObjectSizeLessThan;
  if (gt !== undefined && !(v.size > gt)) return false;
  if (lt !== undefined && !(v.size < lt)) return false;
  return true;
}

export interface SweepResult {
  expired: number;
  markersRemoved: number;
  noncurrentRemoved: number;
  uploadsAborted: number;
  keptByLock: number;
}

/** Every version of the bucket, by key, each key's newest first. */
async function allVersions(objects: ObjectStore, bucket: string): Promise<Map<string, ObjectVersion[]>> {
  const byKey = new Map<string, ObjectVersion[]>();
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (;;) {
    const p = await objects.listObjectVersions(bucket, {
      maxKeys: 1000,
      ...(keyMarker !== undefined ? { keyMarker } : {}),
      ...(versionIdMarker !== undefined ? { versionIdMarker } : {}),
    });
    for (const v of p.versions) byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
    if (!p.isTruncated || p.nextKeyMarker === undefined) return byKey;
    keyMarker = p.nextKeyMarker;
    versionIdMarker = p.nextVersionIdMarker;
  }
}

/** Applies one bucket's lifecycle rules at `now`. */
export async function sweepBucket(objects: ObjectStore, bucket: string, now: Date): Promise<SweepResult> {
  const result: SweepResult = { expired: 0, markersRemoved: 0, noncurrentRemoved: 0, uploadsAborted: 0, keptByLock: 0 };
  const config = await lifecycleOf(objects, bucket);
  const rules = (config?.Rules ?? []).filter((r) => r.Status === 'Enabled');
  if (!rules.length) return result;
  const b = await objects.getBucket(bucket);
  if (!b) return result;
  const remove = async (key: string, versionId: string | undefined): Promise<boolean> => {
    try {
      await objects.deleteObject(bucket, key, { ...(versionId !== undefined ? { versionId } : {}), now });
      return true;
    } catch (e) {
      if (e instanceof ObjectStoreError && e.code === 'ObjectLocked') {
        result.keptByLock++;
        return false;
      }
      throw e;
    }
  };

  for (const [key, versions] of await allVersions(objects, bucket)) {
    const latest = versions[0];
    if (!latest) continue;
    // current version expiration
    if (!latest.deleteMarker) {
      const due = rules.some(
        (r) =>
          r.Expiration &&
          matches(r, latest) &&
          ((r.Expiration.Days !== undefined && dueAt(latest.lastModified, r.Expiration.Days) <= now) ||
            (r.Expiration.Date !== undefined && r.Expiration.Date <= now)),
      );
      if (due) {
        // unversioned: the object goes; versioned: a delete marker (the version stays, noncurrent)
        if (await remove(key, b.versioning ? undefined : latest.versionId)) result.expired++;
        continue; // versioned: the new marker is the latest now; the next sweep looks at the rest
      }
    }
    // noncurrent versions: each became noncurrent when the next newer one was made
    for (let i = 1; i < versions.length; i++) {
      const v = versions[i]!;
      const since = versions[i - 1]!.lastModified;
      const newerNoncurrent = i - 1; // noncurrent versions newer than this one
      const due = rules.some((r) => {
        const n = r.NoncurrentVersionExpiration;
        if (!n?.NoncurrentDays || !matches(r, v)) return false;
        if (n.NewerNoncurrentVersions !== undefined && newerNoncurrent < n.NewerNoncurrentVersions) return false;
        return dueAt(since, n.NoncurrentDays) <= now;
      });
      if (due && (await remove(key, v.versionId))) result.noncurrentRemoved++;
    }
    // an expired object delete marker: the only version left is a marker
    const left =
      versions.length === 1 || (await objects.listObjectVersions(bucket, { prefix: key, maxKeys: 2 })).versions.filter((x) => x.key === key).length === 1;
    if (latest.deleteMarker && left) {
      const due = rules.some((r) => r.Expiration?.ExpiredObjectDeleteMarker === true && key.startsWith(filterPrefix(r)));
      if (due && (await remove(key, latest.versionId))) result.markersRemoved++;
    }
  }

  const aborts = rules.filter((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
  if (aborts.length) {
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      const p = await objects.listMultipartUploads(bucket, {
        maxUploads: 1000,
        ...(keyMarker ? { keyMarker } : {}),
        ...(uploadIdMarker ? { uploadIdMarker } : {}),
      });
      for (const u of p.uploads) {
        const due = aborts.some((r) => u.key.startsWith(filterPrefix(r)) && dueAt(u.initiated, r.AbortIncompleteMultipartUpload!.DaysAfterInitiation!) <= now);
        if (!due) continue;
        await objects.abortMultipartUpload(bucket, u.key, u.uploadId).catch((e) => {
          if (!(e instanceof ObjectStoreError && e.code === 'NoSuchUpload')) throw e;
        });
        result.uploadsAborted++;
      }
      if (!p.isTruncated) break;
      keyMarker = p.nextKeyMarker;
      uploadIdMarker = p.nextUploadIdMarker;
    }
  }
  return result;
}

/**
 * Sweeps every bucket that has a lifecycle configuration. `stillHeld`, asked before each bucket, ends
 * the round early once it answers false (the sweep's lease was lost to another node).
 */
export async function sweepLifecycle(objects: ObjectStore, now: Date, stillHeld?: () => Promise<boolean>): Promise<SweepResult> {
  const total: SweepResult = { expired: 0, markersRemoved: 0, noncurrentRemoved: 0, uploadsAborted: 0, keptByLock: 0 };
  for (const b of await objects.listBuckets()) {
    const text = await objects.getBucketConfig(b.name, 'lifecycle').catch(() => undefined);
    if (text === undefined) continue;
    if (stillHeld && !(await stillHeld())) break;
    const r = await sweepBucket(objects, b.name, now).catch((e) => {
      if (e instanceof ObjectStoreError && e.code === 'NoSuchBucket') return undefined; // deleted meanwhile
      throw e;
    });
    if (!r) continue;
    for (const k of Object.keys(total) as (keyof SweepResult)[]) total[k] += r[k];
  }
  return total;
}

/** The kv entry of the sweep's lease: `{"owner": …, "until": epoch ms}`. */
export const SWEEP_LEASE_KEY = 's3:lifecycle-sweep:lease';

/** Takes or renews the sweep's lease for `owner` until `until`: false while another owner's lease runs. */
export async function claimSweepLease(kv: KvStore, owner: string, now: Date, until: Date): Promise<boolean> {
  const text = await kv.get(SWEEP_LEASE_KEY);
  const held = text === undefined ? undefined : (JSON.parse(text) as { owner: string; until: number });
  if (held && held.owner !== owner && held.until > now.getTime()) return false;
  // the swap fails if another node took or renewed it since the read
  return kv.swap(SWEEP_LEASE_KEY, text, JSON.stringify({ owner, until: until.getTime() }));
}

/** Gives the lease up (this node stops), so another node's next round sweeps without waiting for it to run out. */
export async function releaseSweepLease(kv: KvStore, owner: string): Promise<void> {
  const text = await kv.get(SWEEP_LEASE_KEY);
  if (text === undefined || (JSON.parse(text) as { owner: string }).owner !== owner) return;
  await kv.swap(SWEEP_LEASE_KEY, text, JSON.stringify({ owner, until: 0 }));
}

export interface SweepLease {
  kv: KvStore;
  /** this node's lease owner id */
  owner: string;
  /** how long a claim holds (default: 2.5 sweep intervals, so the holder's next round renews it in time) */
  leaseMs?: number;
}

/** One round on this node: the sweep's result, or undefined when another node holds the lease. */
export async function sweepIfLeased(
  objects: ObjectStore,
  lease: SweepLease,
  clock: () => Date,
  leaseMs: number,
  open: () => boolean = () => true,
): Promise<SweepResult | undefined> {
  const claim = async () => {
    if (!open()) return false; // closed meanwhile: the lease is given up, not taken again
    const now = clock();
    return claimSweepLease(lease.kv, lease.owner, now, new Date(now.getTime() + leaseMs));
  };
  if (!(await claim())) return undefined;
  return sweepLifecycle(objects, clock(), claim);
}

export interface LifecycleTimer extends PeriodicTimer {
  /** stops, and gives the lease up; resolves once it is given up */
  close(): Promise<void>;
}

/**
 * Sweeps once now, then every interval (default 10 minutes; src/periodic.ts). With `lease`, a round
 * runs only on the node holding the sweep's lease (one node at a time across nodes sharing the store).
 */
export function startLifecycleSweep(
  objects: ObjectStore,
  opts: { clock: () => Date; intervalMs?: number; log?: PeriodicLog; lease?: SweepLease },
): LifecycleTimer {
  const intervalMs = opts.intervalMs ?? 10 * 60 * 1000;
  const lease = opts.lease;
  const leaseMs = lease?.leaseMs ?? Math.round(intervalMs * 2.5);
  let open = true;
  const timer = startPeriodic(
    async () => {
      const r = lease ? await sweepIfLeased(objects, lease, opts.clock, leaseMs, () => open) : await sweepLifecycle(objects, opts.clock());
      if (r && (r.expired || r.markersRemoved || r.noncurrentRemoved || r.uploadsAborted)) opts.log?.('lifecycle applied', { ...r });
    },
    { intervalMs, failure: 'lifecycle sweep failed', ...(opts.log ? { log: opts.log } : {}) },
  );
  return {
    stop: () => timer.stop(),
    close: async () => {
      open = false;
      timer.stop();
      if (lease) await releaseSweepLease(lease.kv, lease.owner).catch(() => {});
    },
  };
}
