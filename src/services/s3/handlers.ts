/**
 * S3 wire operation name → definition: the 24 operations of the S3 endpoint (buckets,
 * policies, objects, multipart upload, copies and multi-object delete), over one object store.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { bucketOperations } from './buckets.ts';
import { copyOperations } from './copy.ts';
import { deleteObjectsOperations } from './delete-objects.ts';
import { listingOperations } from './listing.ts';
import { multipartOperations } from './multipart.ts';
import { objectOperations } from './objects.ts';
import { policyOperations } from './policies.ts';
import { taggingOperations } from './tagging.ts';

export function handlers(objects: ObjectStore): OperationDefs<Ops> {
  return {
    ...bucketOperations(objects),
    ...policyOperations(objects),
    ...objectOperations(objects),
    ...listingOperations(objects),
    ...copyOperations(objects),
    ...deleteObjectsOperations(objects),
    ...taggingOperations(objects),
    ...multipartOperations(objects),
  } satisfies OperationDefs<Ops>;
}
