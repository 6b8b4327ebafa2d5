/**
 * Running imports (docs/lake.md#imports): a round claims the oldest INITIALIZING import (or an
 * IN_PROGRESS one whose runner's lease ran out) and copies its S3 location's log files in key order,
 * one file per transaction — the file's records into every destination store and the import's
 * statistics and last key together — so a crash or StopImport loses or repeats no file. Digest files
 * (CloudTrail-Digest/) are skipped; a file that is not a `{"Records":[…]}` document counts as a failed entry.
 * Records older than a store's retention period are not copied into it.
 */
import { gunzipSync } from 'node:zlib';
import type { ObjectStore } from '../../../objects/types.ts';
import type { LakeImport, Store } from '../../../store/types.ts';
import { parseLocation } from './imports.ts';

const LEASE_MS = 60_000;

function recordsOf(body: Buffer): unknown[] | undefined {
  try {
    const text = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
    const doc = JSON.parse(text) as { Records?: unknown };
    return Array.isArray(doc?.Records) ? doc.Records : undefined;
  } catch {
    return undefined;
  }
}

async function listKeys(objects: ObjectStore, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await objects.listObjects(bucket, { prefix, maxKeys: 1000, ...(after ? { after } : {}) });
    keys.push(...page.objects.map((o) => o.key));
    if (!page.isTruncated || !page.nextMarker) break;
    after = page.nextMarker;
  }
  return keys.filter((k) => !k.endsWith('/') && !k.includes('/CloudTrail-Digest/')).sort();
}

const eventTimeOf = (r: unknown): number | undefined => {
  const t = (r as { eventTime?: unknown })?.eventTime;
  const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** One round: works through at most one import; returns whether one ran. */
export async function runNextImport(store: Store, objects: ObjectStore | undefined, owner: string, clock: () => Date): Promise<boolean> {
  const now = clock();
  const claimed = await store.lake.claimImport(owner, now, new Date(now.getTime() + LEASE_MS));
  if (!claimed) return false;
  const imp: LakeImport = claimed;
  const { bucket, prefix } = parseLocation(imp.source.s3LocationUri);
  if (!objects || !(await objects.getBucket(bucket))) {
    await store.lake.updateImport(imp.id, { status: 'FAILED', updatedAt: clock() });
    return true;
  }
  const keys = await listKeys(objects, bucket, prefix);
  const dirs = (list: string[]) => new Set(list.map((k) => k.slice(0, k.lastIndexOf('/') + 1))).size;
  const stats = { ...imp.stats, prefixesFound: dirs(keys) };
  const storeIds = imp.destinations.map((arn) => arn.slice(arn.lastIndexOf('/') + 1));
  const todo = keys.filter((k) => imp.lastKey === undefined || k > imp.lastKey);
  for (const key of todo) {
    const obj = await objects.getObject(bucket, key);
    const records = obj ? recordsOf(obj.body) : undefined;
    const stillRunning = await store.transaction(async (tx) => {
      const current = await tx.lake.getImport(imp.id);
      if (current?.status !== 'IN_PROGRESS') return false;
      if (records) {
        const rows = records
          .map((r) => ({ r, t: eventTimeOf(r) }))
          .filter(
            (x): x is { r: unknown; t: number } =>
              x.t !== undefined && (!imp.startTime || x.t >= imp.startTime.getTime()) && (!imp.endTime || x.t <= imp.endTime.getTime()),
          )
          .map((x) => ({ eventTime: new Date(x.t), record: JSON.stringify(x.r) }));
        // a store keeps no event older than its retention period (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartImport.html)
        for (const id of storeIds) {
          const s = await tx.lake.getStore(id);
          if (!s) continue;
          const oldest = clock().getTime() - s.settings.retentionPeriod * 86_400_000;
          await tx.lake.appendImported(
            id,
            rows.filter((r) => r.eventTime.getTime() >= oldest),
          );
        }
        stats.eventsCompleted += rows.length;
        stats.failedEntries += records.length - rows.length;
        stats.filesCompleted++;
      } else stats.failedEntries++;
      stats.prefixesCompleted = dirs(keys.filter((k) => k <= key)) - (key === keys.at(-1) ? 0 : 1);
      await tx.lake.updateImport(imp.id, { stats, lastKey: key, updatedAt: clock() });
      return true;
    });
    if (!stillRunning) return true;
  }
  stats.prefixesCompleted = stats.prefixesFound;
  const end = await store.lake.getImport(imp.id);
  if (end?.status === 'IN_PROGRESS') await store.lake.updateImport(imp.id, { status: 'COMPLETED', stats, updatedAt: clock() });
  return true;
}
