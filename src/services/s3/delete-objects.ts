/**
 * DeleteObjects (S3 API Reference DeleteObjects; https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html): up to 1000 keys in one
 * `<Delete>` document (more, or none, is MalformedXML), each deleted only if the caller may
 * s3:DeleteObject it (IAM and the bucket policy, as for DeleteObject); a key that may not be deleted
 * is an `<Error>` of the result, not a failure of the call, and a key that does not exist is deleted
 * all the same. A `<VersionId>` deletes that version (s3:DeleteObjectVersion; Object Lock may keep it:
 * AccessDenied for that key); without one a versioned bucket gets a delete marker. `<Quiet>true</Quiet>` leaves the deleted keys out of the result. The body must carry
 * Content-MD5 or a flexible checksum (checked by the protocol). One data event for the whole call.
 */
import { keyBytes, MAX_KEY_BYTES, type DeleteObjectResult, type ObjectStore } from '../../objects/index.ts';
import { noDestinations, type Destinations } from '../../delivery/destinations.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { allowed, bucketResources, checkBucketName, objectArn, policyOf } from './access.ts';
import { malformedXml, noSuchBucket, S3Error, store } from './errors.ts';
import { announceCall } from './notifications.ts';

export const MAX_DELETE_KEYS = 1000;

interface KeyError {
  Key: string;
  VersionId?: string;
  Code: string;
  Message: string;
}

export function deleteObjectsOperations(objects: ObjectStore, destinations: Destinations = noDestinations): OperationDefs<Ops, 'DeleteObjects'> {
  return {
    DeleteObjects: {
      eventCategory: 'Data',
      readOnly: false,
      // s3:DeleteObject is decided for each key below: a denied key is an <Error> of a successful call
      authorize: ({ Bucket = '' }) => {
        checkBucketName(Bucket);
        return 'none';
      },
      async handler(input, ctx): Promise<Output<'DeleteObjects'>> {
        const list = input.Delete?.Objects ?? [];
        if (!list.length || list.length > MAX_DELETE_KEYS) throw malformedXml();
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        const policy = await policyOf(objects, input.Bucket);
        const deleted: { Key: string; VersionId?: string; DeleteMarker?: boolean; DeleteMarkerVersionId?: string }[] = [];
        const errors: KeyError[] = [];
        for (const { Key: key, VersionId: version } of list) {
          const v = version !== undefined ? { VersionId: version } : {};
          if (keyBytes(key) > MAX_KEY_BYTES) {
            errors.push({ Key: key, ...v, Code: 'KeyTooLongError', Message: 'Your key is too long' });
            continue;
          }
          if (version !== undefined && version !== 'null' && !/^[0-9A-Za-z_-]{32}$/.test(version)) {
            errors.push({ Key: key, ...v, Code: 'NoSuchVersion', Message: 'The specified version does not exist.' });
            continue;
          }
          const action = version !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject';
          if (!(await allowed(ctx, action, objectArn(input.Bucket, key), policy))) {
            errors.push({ Key: key, ...v, Code: 'AccessDenied', Message: 'Access Denied' });
            continue;
          }
          const bypass = input.BypassGovernanceRetention === true && (await allowed(ctx, 's3:BypassGovernanceRetention', objectArn(input.Bucket, key), policy));
          let done: DeleteObjectResult;
          try {
            done = await store(
              objects.deleteObject(input.Bucket, key, { ...(version !== undefined ? { versionId: version } : {}), now: ctx.now, bypassGovernance: bypass }),
              {
                bucket: input.Bucket,
              },
            );
          } catch (e) {
            if (!(e instanceof S3Error) || e.status !== 403) throw e;
            errors.push({ Key: key, ...v, Code: 'AccessDenied', Message: e.message });
            continue;
          }
          // a delete marker made answers DeleteMarker and its version id; a version removed, its id
          if (done.deleteMarker && version === undefined) deleted.push({ Key: key, DeleteMarker: true, DeleteMarkerVersionId: done.versionId! });
          else deleted.push({ Key: key, ...v, ...(done.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: version! } : {}) });
        }
        await announceCall(
          objects,
          destinations,
          ctx,
          'ObjectRemoved:Delete',
          input.Bucket,
          deleted.map((d) => ({ key: d.Key })),
        );
        return { ...(input.Delete.Quiet === true ? {} : { Deleted: deleted }), Errors: errors };
      },
      resources: bucketResources,
    },
  };
}
