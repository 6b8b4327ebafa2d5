/**
 * Where trails write (docs/architecture.md#delivery): a narrow view of a bucket service — does the
 * bucket exist, what is its policy, put an object. Two implementations: the embedded object store
 * (src/objects, the server's own S3 endpoint) and an external S3-compatible service
 * (external-s3.ts); `routedTarget` sends each bucket to one of them by the server settings
 * (README "Trails and delivery"). Delivery writes here directly, never through the API pipeline, so
 * its writes leave no CloudTrail records.
 */
import type { ObjectStore } from '../objects/types.ts';

export interface BucketState {
  exists: boolean;
  /** the bucket policy text; undefined when the bucket has none */
  policy?: string;
  /** false when the service has no bucket policies (s3rver): access is then the configured credentials' */
  policySupported: boolean;
  /** the bucket's region, where the service says (the embedded store): S3 event messages' awsRegion */
  region?: string;
  /** the embedded store's owning account (docs/accounts.md#s3-buckets-across-accounts); absent: the configured account */
  owner?: string;
}

export interface TrailObject {
  body: Buffer;
  contentType: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}

export interface DeliveryTarget {
  /** `external` when the bucket lives on the external service (its policy, if any, is advisory) */
  readonly kind: 'embedded' | 'external';
  bucket(bucket: string): Promise<BucketState>;
  /** Replaces the object; throws DeliveryError when the bucket is missing or unreachable. */
  putObject(bucket: string, key: string, object: TrailObject): Promise<void>;
}

/** A failed write or check, with the code GetTrailStatus shows (S3's error code, or the network error's). */
export class DeliveryError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The embedded store: the buckets `aws s3 mb` makes against this server. */
export function embeddedTarget(objects: ObjectStore, clock: () => Date = () => new Date()): DeliveryTarget {
  return {
    kind: 'embedded',
    async bucket(bucket) {
      const b = await objects.getBucket(bucket);
      if (!b) return { exists: false, policySupported: true };
      const policy = await objects.getBucketPolicy(bucket);
      return { exists: true, policySupported: true, region: b.region, ...(b.owner ? { owner: b.owner } : {}), ...(policy !== undefined ? { policy } : {}) };
    },
    async putObject(bucket, key, o) {
      if (!(await objects.getBucket(bucket))) throw new DeliveryError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
      await objects.putObject(
        bucket,
        key,
        { body: o.body, contentType: o.contentType, ...(o.contentEncoding ? { contentEncoding: o.contentEncoding } : {}), metadata: o.metadata },
        clock(),
      );
    },
  };
}

/** No object storage at all: every bucket is missing (a server started without one). */
export const noTarget: DeliveryTarget = {
  kind: 'embedded',
  bucket: async () => ({ exists: false, policySupported: true }),
  putObject: async (bucket) => {
    throw new DeliveryError('NoSuchBucket', `The specified bucket does not exist: ${bucket}`);
  },
};

export interface Routing {
  embedded: DeliveryTarget;
  external?: DeliveryTarget;
  /** buckets on the external service; empty with an external service = every bucket */
  externalBuckets: string[];
}

/** Picks the service per bucket name. */
export function routedTarget(r: Routing): (bucket: string) => DeliveryTarget {
  const listed = new Set(r.externalBuckets);
  return (bucket) => (r.external && (listed.size === 0 || listed.has(bucket)) ? r.external : r.embedded);
}
