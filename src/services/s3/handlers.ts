/**
 * S3 wire operation name → definition: the 24 operations of the S3 endpoint (issue 6, "S3 endpoint";
 * multipart upload, copies and multi-object delete added after), over one object store.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { Handlers } from '../types.ts';
import { bucketOperations } from './buckets.ts';
import { copyOperations } from './copy.ts';
import { deleteObjectsOperations } from './delete-objects.ts';
import { listingOperations } from './listing.ts';
import { multipartOperations } from './multipart.ts';
import { objectOperations } from './objects.ts';
import { policyOperations } from './policies.ts';
import { taggingOperations } from './tagging.ts';

export type S3Operation =
  | 'CreateBucket' | 'HeadBucket' | 'DeleteBucket' | 'ListBuckets' | 'GetBucketLocation'
  | 'PutBucketPolicy' | 'GetBucketPolicy' | 'DeleteBucketPolicy'
  | 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject' | 'ListObjects' | 'ListObjectsV2'
  | 'CopyObject' | 'DeleteObjects' | 'GetObjectTagging'
  | 'CreateMultipartUpload' | 'UploadPart' | 'UploadPartCopy' | 'CompleteMultipartUpload' | 'AbortMultipartUpload' | 'ListParts' | 'ListMultipartUploads';

export function handlers(objects: ObjectStore): Handlers<S3Operation> {
  return {
    ...bucketOperations(objects),
    ...policyOperations(objects),
    ...objectOperations(objects),
    ...listingOperations(objects),
    ...copyOperations(objects),
    ...deleteObjectsOperations(objects),
    ...taggingOperations(objects),
    ...multipartOperations(objects),
  } satisfies Handlers<S3Operation>;
}
