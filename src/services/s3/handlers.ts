/**
 * S3 wire operation name → definition: the 62 operations of the S3 endpoint (buckets,
 * policies, bucket configurations (tagging, encryption, Block Public Access, ownership, ACLs, CORS),
 * versioning, Object Lock, lifecycle, objects and their tags and ACLs, multipart upload, copies,
 * multi-object delete, event notifications and server access logging's configuration), over one object store.
 */
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops } from './model.generated.ts';
import { aclOperations } from './acl-operations.ts';
import { bucketConfigOperations } from './bucket-config.ts';
import { bucketOperations } from './buckets.ts';
import { copyOperations } from './copy.ts';
import { corsOperations } from './cors.ts';
import { deleteObjectsOperations } from './delete-objects.ts';
import { listingOperations } from './listing.ts';
import { loggingOperations } from './logging.ts';
import { multipartOperations } from './multipart.ts';
import { notificationOperations } from './notifications.ts';
import { objectOperations } from './objects.ts';
import { policyOperations } from './policies.ts';
import { lifecycleOperations } from './lifecycle.ts';
import { objectLockOperations } from './object-lock.ts';
import { objectTaggingOperations } from './object-tagging.ts';
import { versioningOperations } from './versioning.ts';

export function handlers(objects: ObjectStore, destinations: Destinations = noDestinations): OperationDefs<Ops> {
  return {
    ...bucketOperations(objects),
    ...policyOperations(objects),
    ...bucketConfigOperations(objects),
    ...aclOperations(objects),
    ...corsOperations(objects),
    ...loggingOperations(objects),
    ...objectOperations(objects, destinations),
    ...listingOperations(objects),
    ...copyOperations(objects, destinations),
    ...deleteObjectsOperations(objects, destinations),
    ...objectTaggingOperations(objects),
    ...versioningOperations(objects),
    ...objectLockOperations(objects),
    ...lifecycleOperations(objects),
    ...multipartOperations(objects, destinations),
    ...notificationOperations(objects, destinations),
  } satisfies OperationDefs<Ops>;
}
