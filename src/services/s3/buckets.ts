/**
 * Bucket operations (S3 API Reference: CreateBucket, HeadBucket, DeleteBucket, ListBuckets,
 * GetBucketLocation). A bucket lives in the region its LocationConstraint names: none means
 * us-east-1, which only the us-east-1 endpoint accepts; elsewhere the constraint must name the
 * endpoint's region (IllegalLocationConstraintException). Re-creating your own bucket is
 * BucketAlreadyOwnedByYou (409) in every region.
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { BucketLocationConstraint, Operations as Ops, Output } from './model.generated.ts';
import { invalidBucketAclWithBlockPublicAccess, invalidBucketAclWithOwnership, isOwnerOnly, isPublicAcl, requestedAcl, type ObjectOwnership } from './acl.ts';
import { initialBucketConfig, OWNERSHIPS } from './bucket-config.ts';
import { bucketArn, bucketResources, checkBucketName, ownerOf, requireAllowed, target } from './access.ts';
import { bucketAlreadyExists, illegalLocationConstraint, invalidArgument, invalidLocationConstraint, noSuchBucket, store } from './errors.ts';

import { owner } from './owner.ts';

export { owner };

/** The region a new bucket goes to, or S3's refusal. `EU` is the legacy name of eu-west-1. */
export function bucketRegion(constraint: string | undefined, endpointRegion: string): string {
  const lc = constraint === 'EU' ? 'eu-west-1' : constraint || undefined;
  if (endpointRegion === 'us-east-1') {
    if (lc === 'us-east-1') throw invalidLocationConstraint(lc);
    return lc ?? 'us-east-1';
  }
  if (lc !== endpointRegion) throw illegalLocationConstraint(constraint || undefined);
  return lc;
}

export function bucketOperations(
  objects: ObjectStore,
): OperationDefs<Ops, 'CreateBucket' | 'HeadBucket' | 'DeleteBucket' | 'ListBuckets' | 'GetBucketLocation'> {
  return {
    CreateBucket: {
      readOnly: false,
      authorize: ({ Bucket = '' }) => {
        checkBucketName(Bucket);
        return { action: 's3:CreateBucket', resource: bucketArn(Bucket) };
      },
      async handler(input, ctx): Promise<Output<'CreateBucket'>> {
        const region = bucketRegion(input.CreateBucketConfiguration?.LocationConstraint, ctx.region);
        const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
        if (!OWNERSHIPS.includes(ownership as ObjectOwnership))
          throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
        const acl = await requestedAcl(ctx.store, input, ctx.accountId, ctx.accountId, 'bucket');
        // CreateBucket with an ACL (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html):
        // with ACLs disabled only the owner's; a public one never, since a new bucket blocks public ACLs
        if (acl && ownership === 'BucketOwnerEnforced' && !isOwnerOnly(acl, ctx.accountId)) throw invalidBucketAclWithOwnership();
        if (acl && isPublicAcl(acl)) throw invalidBucketAclWithBlockPublicAccess();
        const objectLock = input.ObjectLockEnabledForBucket === true;
        if (objectLock) {
          // "If ObjectLockEnabledForBucket is set to true in your CreateBucket request, s3:PutBucketObjectLockConfiguration
          // and s3:PutBucketVersioning permissions are required" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html, Permissions)
          for (const action of ['s3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning'])
            await requireAllowed(ctx, action, bucketArn(input.Bucket), undefined);
        }
        try {
          // the bucket and its initial configuration in one step: a crash never leaves a bucket without its defaults
          const configs = initialBucketConfig({ ownership: ownership as ObjectOwnership, objectLock, ...(acl ? { acl } : {}) });
          await store(objects.createBucket(input.Bucket, region, ctx.now, ctx.accountId, { objectLock, configs }), { bucket: input.Bucket });
        } catch (e) {
          // names are global: another account's bucket is BucketAlreadyExists (S3 API Reference CreateBucket)
          const taken = await ownerOf(objects, input.Bucket, ctx.config.accountId);
          if (taken !== undefined && taken !== ctx.accountId) throw bucketAlreadyExists(input.Bucket);
          throw e;
        }
        return { Location: `/${input.Bucket}` };
      },
      resources: bucketResources,
    },

    HeadBucket: {
      readOnly: true,
      authorize: target(objects, 's3:ListBucket'),
      async handler(input): Promise<Output<'HeadBucket'>> {
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        return {};
      },
      resources: bucketResources,
    },

    DeleteBucket: {
      readOnly: false,
      authorize: target(objects, 's3:DeleteBucket'),
      async handler(input, ctx): Promise<Output<'DeleteBucket'>> {
        const owner = (await ownerOf(objects, input.Bucket, ctx.config.accountId)) ?? ctx.accountId;
        await store(objects.deleteBucket(input.Bucket), { bucket: input.Bucket });
        await ctx.store.bucketNotifications.delete(owner, input.Bucket);
        return {};
      },
      resources: bucketResources,
    },

    ListBuckets: {
      readOnly: true,
      authorize: () => ({ action: 's3:ListAllMyBuckets', resource: '*' }),
      async handler(_, ctx): Promise<Output<'ListBuckets'>> {
        // the caller's account's buckets only (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html)
        const buckets = (await objects.listBuckets()).filter((b) => (b.owner ?? ctx.config.accountId) === ctx.accountId);
        return { Buckets: buckets.map((b) => ({ Name: b.name, CreationDate: b.creationDate })), Owner: owner(ctx.accountId) };
      },
    },

    GetBucketLocation: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketLocation'),
      async handler(input): Promise<Output<'GetBucketLocation'>> {
        const b = await objects.getBucket(input.Bucket);
        if (!b) throw noSuchBucket(input.Bucket);
        // us-east-1 is the empty constraint: <LocationConstraint xmlns="…"/>
        return b.region === 'us-east-1' ? {} : { LocationConstraint: b.region as BucketLocationConstraint };
      },
      resources: bucketResources,
    },
  };
}
