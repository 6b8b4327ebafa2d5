/** S3 wire operation name → definition: the 14 operations of the S3 endpoint (issue 6, "S3 endpoint"), over one object store. */
import type { ObjectStore } from '../../objects/index.ts';
import type { Handlers } from '../types.ts';
import { bucketOperations } from './buckets.ts';
import { listingOperations } from './listing.ts';
import { objectOperations } from './objects.ts';
import { policyOperations } from './policies.ts';

export type S3Operation =
  | 'CreateBucket' | 'HeadBucket' | 'DeleteBucket' | 'ListBuckets' | 'GetBucketLocation'
  | 'PutBucketPolicy' | 'GetBucketPolicy' | 'DeleteBucketPolicy'
  | 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'ListObjects' | 'ListObjectsV2';

export function handlers(objects: ObjectStore): Handlers<S3Operation> {
  return {
    ...bucketOperations(objects),
    ...policyOperations(objects),
    ...objectOperations(objects),
    ...listingOperations(objects),
  } satisfies Handlers<S3Operation>;
}
