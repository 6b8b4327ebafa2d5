/**
 * S3 Lifecycle configuration (docs/s3.md#lifecycle;
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html):
 * Put/Get/DeleteBucketLifecycleConfiguration, checked as S3 checks it, kept beside the bucket
 * (config/lifecycle.json). A background sweep applies it (lifecycle-sweep.ts). Transitions are
 * accepted and reported; startrail has one storage class, so they move nothing.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { BucketLifecycleConfiguration, LifecycleRule, Operations as Ops, Output, Tag } from './model.generated.ts';
import { bucketResources, target } from './access.ts';
import { invalidArgument, invalidRequest, malformedXml, noSuchBucket, S3Error, store } from './errors.ts';

export const noSuchLifecycle = (bucket: string) =>
  new S3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket });

const MAX_RULES = 1000;
const STORAGE_CLASSES = ['GLACIER', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'DEEP_ARCHIVE', 'GLACIER_IR'];

const positive = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n > 0;
/** Lifecycle dates are midnight UTC (S3 answers InvalidArgument otherwise). */
const midnight = (d: Date) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;

/** The tags a rule's filter names (Tag, or And's Tags). */
export function filterTags(rule: LifecycleRule): Tag[] {
  const f = rule.Filter;
  return f?.Tag ? [f.Tag] : (f?.And?.Tags ?? []);
}

/** A rule's prefix: the Filter's (or its And's), or the legacy rule-level Prefix. */
export function filterPrefix(rule: LifecycleRule): string {
  return rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix ?? rule.Prefix ?? '';
}

/** Checks one rule as S3 does; answers it as stored. */
function checkRule(r: LifecycleRule): LifecycleRule {
  if (!r || typeof r !== 'object') throw malformedXml();
  if (r.Status !== 'Enabled' && r.Status !== 'Disabled') throw malformedXml();
  if (r.ID !== undefined && r.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', r.ID);
  if (r.Filter !== undefined && r.Prefix !== undefined) throw malformedXml();
  const f = r.Filter;
  if (f) {
    const given = ['Prefix', 'Tag', 'ObjectSizeGreaterThan', 'ObjectSizeLessThan', 'And'].filter((k) => f[k as keyof typeof f] !== undefined);
    if (given.length > 1) throw malformedXml();
    if (f.And) {
      const a = f.And;
      const parts =
        (a.Prefix !== undefined ? 1 : 0) +
        (a.Tags?.length ?? 0) +
        (a.ObjectSizeGreaterThan !== undefined ? 1 : 0) +
        (a.ObjectSizeLessThan !== undefined ? 1 : 0);
      if (parts < 2) throw malformedXml();
    }
    for (const t of filterTags(r)) if (typeof t.Key !== 'string' || !t.Key || typeof t.Value !== 'string') throw malformedXml();
    const gt = f.ObjectSizeGreaterThan ?? f.And?.ObjectSizeGreaterThan;
    const lt = f.ObjectSizeLessThan ?? f.And?.ObjectSizeLessThan;
    if (gt !== undefined && lt !== undefined && gt >= lt)
      throw invalidArgument('ObjectSizeGreaterThan must be less than ObjectSizeLessThan', 'ObjectSizeLessThan', String(lt));
  }
  if (!r.Expiration && !r.NoncurrentVersionExpiration && !r.AbortIncompleteMultipartUpload && !r.Transitions?.length && !r.NoncurrentVersionTransitions?.length)
    throw malformedXml();
  const e = r.Expiration;
  if (e) {
    const given = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((x) => x !== undefined).length;
    if (given !== 1) throw malformedXml();
    if (e.Days !== undefined && !positive(e.Days)) throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', String(e.Days));
    if (e.Date !== undefined && !midnight(e.Date)) throw invalidArgument("'Date' must be at midnight GMT", 'Date', e.Date.toISOString());
    if (e.ExpiredObjectDeleteMarker !== undefined && filterTags(r).length)
      throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with object tags');
  }
  const n = r.NoncurrentVersionExpiration;
  if (n) {
    if (!positive(n.NoncurrentDays))
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', String(n.NoncurrentDays));
    if (n.NewerNoncurrentVersions !== undefined && (!positive(n.NewerNoncurrentVersions) || n.NewerNoncurrentVersions > 100))
      throw invalidArgument('NewerNoncurrentVersions must be between 1 and 100', 'NewerNoncurrentVersions', String(n.NewerNoncurrentVersions));
  }
  const a = r.AbortIncompleteMultipartUpload;
  if (a) {
    if (!positive(a.DaysAfterInitiation))
      throw invalidArgument(
        "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
        'DaysAfterInitiation',
        String(a.DaysAfterInitiation),
      );
    if (filterTags(r).length) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
  }
  for (const t of r.Transitions ?? []) {
    if (!t.StorageClass || !STORAGE_CLASSES.includes(t.StorageClass)) throw malformedXml();
    if ((t.Days === undefined) === (t.Date === undefined)) throw malformedXml();
    if (t.Days !== undefined && (!Number.isInteger(t.Days) || t.Days < 0))
      throw invalidArgument("'Days' in Transition action must be nonnegative", 'Days', String(t.Days));
    if (t.Date !== undefined && !midnight(t.Date)) throw invalidArgument("'Date' must be at midnight GMT", 'Date', t.Date.toISOString());
  }
  for (const t of r.NoncurrentVersionTransitions ?? []) {
    if (!t.StorageClass || !STORAGE_CLASSES.includes(t.StorageClass)) throw malformedXml();
    if (!positive(t.NoncurrentDays))
      throw invalidArgument("'NoncurrentDays' in NoncurrentVersionTransition action must be nonnegative", 'NoncurrentDays', String(t.NoncurrentDays));
  }
  return r;
}

/** A lifecycle configuration as S3 accepts it: 1–1000 rules, unique IDs (a rule without one gets one, as S3 gives). */
export function checkLifecycle(c: BucketLifecycleConfiguration | undefined, newId: () => string): BucketLifecycleConfiguration {
  const rules = c?.Rules;
  if (!Array.isArray(rules) || rules.length === 0) throw malformedXml();
  if (rules.length > MAX_RULES) throw invalidRequest('The number of lifecycle rules should not exceed allowed limit of 1000 rules');
  const seen = new Set<string>();
  const out = rules.map((r) => {
    const rule = checkRule(r);
    const id = rule.ID ?? newId();
    if (seen.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    seen.add(id);
    return { ...rule, ID: id };
  });
  return { Rules: out };
}

/** The bucket's lifecycle configuration, or undefined. */
export async function lifecycleOf(objects: ObjectStore, bucket: string): Promise<BucketLifecycleConfiguration | undefined> {
  const text = await objects.getBucketConfig(bucket, 'lifecycle');
  if (text === undefined) return undefined;
  // dates were stored as ISO text
  const c = JSON.parse(text) as BucketLifecycleConfiguration;
  for (const r of c.Rules) {
    if (r.Expiration?.Date) r.Expiration.Date = new Date(r.Expiration.Date);
    for (const t of r.Transitions ?? []) if (t.Date) t.Date = new Date(t.Date);
  }
  return c;
}

export function lifecycleOperations(
  objects: ObjectStore,
): OperationDefs<Ops, 'PutBucketLifecycleConfiguration' | 'GetBucketLifecycleConfiguration' | 'DeleteBucketLifecycle'> {
  return {
    PutBucketLifecycleConfiguration: {
      readOnly: false,
      authorize: target(objects, 's3:PutLifecycleConfiguration'),
      async handler(input, ctx): Promise<Output<'PutBucketLifecycleConfiguration'>> {
        const config = checkLifecycle(input.LifecycleConfiguration, () => ctx.ids.uuid().replace(/-/g, '').slice(0, 24));
        const b = await store(objects.getBucket(input.Bucket), { bucket: input.Bucket });
        if (!b) throw noSuchBucket(input.Bucket);
        await store(objects.putBucketConfig(input.Bucket, 'lifecycle', JSON.stringify(config)), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },

    GetBucketLifecycleConfiguration: {
      readOnly: true,
      authorize: target(objects, 's3:GetLifecycleConfiguration'),
      async handler(input): Promise<Output<'GetBucketLifecycleConfiguration'>> {
        const c = await store(lifecycleOf(objects, input.Bucket), { bucket: input.Bucket });
        if (!c) throw noSuchLifecycle(input.Bucket);
        return { Rules: c.Rules };
      },
      resources: bucketResources,
    },

    DeleteBucketLifecycle: {
      readOnly: false,
      // S3 has no action of its own for it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketLifecycle.html)
      authorize: target(objects, 's3:PutLifecycleConfiguration'),
      async handler(input): Promise<Output<'DeleteBucketLifecycle'>> {
        await store(objects.putBucketConfig(input.Bucket, 'lifecycle', undefined), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
  };
}
