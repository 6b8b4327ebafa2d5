/**
 * GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl (docs/s3.md#acls; S3 API Reference of each):
 * authorized with s3:GetBucketAcl, s3:PutBucketAcl, s3:GetObjectAcl (s3:GetObjectVersionAcl with a
 * versionId), s3:PutObjectAcl (s3:PutObjectVersionAcl); the bucket calls are management events, the
 * object calls data events, as CloudTrail records them
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html).
 */
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationContext, OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { bucketResources, missingKey, objectResources, ownerOf, target } from './access.ts';
import { aclOutput, bucketAclOf, checkAclAllowed, malformedAcl, ownerOnly, ownershipOf, pabOf, parseStoredAcl, requestedAcl } from './acl.ts';
import { invalidArgument, noSuchBucket, noSuchKey, store } from './errors.ts';
import { checkKey } from './objects.ts';

type AclOps = 'GetBucketAcl' | 'PutBucketAcl' | 'GetObjectAcl' | 'PutObjectAcl';

/** Versions are another part's (docs/s3.md): only the null version, the current object, is named here. */
function checkVersion(versionId: string | undefined): void {
  if (versionId !== undefined && versionId !== 'null') throw invalidArgument('Invalid version id specified', 'versionId', versionId);
}

export function aclOperations(objects: ObjectStore): OperationDefs<Ops, AclOps> {
  const bucketOwner = async (bucket: string, ctx: OperationContext) => {
    const o = await ownerOf(objects, bucket, ctx.config.accountId);
    if (o === undefined) throw noSuchBucket(bucket);
    return o;
  };
  return {
    GetBucketAcl: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketAcl'),
      async handler(input, ctx): Promise<Output<'GetBucketAcl'>> {
        const owner = await bucketOwner(input.Bucket, ctx);
        // ACLs disabled: reads "always return a response that shows full control for the bucket owner"
        if ((await ownershipOf(objects, input.Bucket)) === 'BucketOwnerEnforced') return aclOutput(ownerOnly(owner));
        return aclOutput((await bucketAclOf(objects, input.Bucket)) ?? ownerOnly(owner));
      },
      resources: bucketResources,
    },
    PutBucketAcl: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketAcl'),
      async handler(input, ctx): Promise<Output<'PutBucketAcl'>> {
        const owner = await bucketOwner(input.Bucket, ctx);
        const acl = await requestedAcl(ctx.store, input, owner, owner, 'bucket');
        if (!acl) throw malformedAcl();
        checkAclAllowed(acl, owner, await ownershipOf(objects, input.Bucket), await pabOf(objects, input.Bucket));
        await store(objects.putBucketConfig(input.Bucket, 'acl', JSON.stringify(acl)), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
    GetObjectAcl: {
      eventCategory: 'Data',
      readOnly: true,
      authorize: (input, ctx) => target(objects, input.VersionId !== undefined ? 's3:GetObjectVersionAcl' : 's3:GetObjectAcl', { object: true })(input, ctx),
      async handler(input, ctx): Promise<Output<'GetObjectAcl'>> {
        checkKey(input.Key);
        checkVersion(input.VersionId);
        const owner = await bucketOwner(input.Bucket, ctx);
        const info = await store(objects.headObject(input.Bucket, input.Key), { bucket: input.Bucket, key: input.Key });
        if (!info) return missingKey(objects, ctx, input.Bucket, input.Key);
        if ((await ownershipOf(objects, input.Bucket)) === 'BucketOwnerEnforced') return aclOutput(ownerOnly(owner));
        return aclOutput(parseStoredAcl(info.acl) ?? ownerOnly(owner));
      },
      resources: objectResources,
    },
    PutObjectAcl: {
      eventCategory: 'Data',
      readOnly: false,
      authorize: (input, ctx) => target(objects, input.VersionId !== undefined ? 's3:PutObjectVersionAcl' : 's3:PutObjectAcl', { object: true })(input, ctx),
      async handler(input, ctx): Promise<Output<'PutObjectAcl'>> {
        checkKey(input.Key);
        checkVersion(input.VersionId);
        const owner = await bucketOwner(input.Bucket, ctx);
        const info = await store(objects.headObject(input.Bucket, input.Key), { bucket: input.Bucket, key: input.Key });
        if (!info) throw noSuchKey(input.Key);
        const objectOwner = parseStoredAcl(info.acl)?.owner ?? owner;
        const acl = await requestedAcl(ctx.store, input, objectOwner, owner, 'object');
        if (!acl) throw malformedAcl();
        const ownership = await ownershipOf(objects, input.Bucket);
        checkAclAllowed(acl, owner, ownership, await pabOf(objects, input.Bucket));
        // ACLs disabled: an owner-only ACL is accepted and changes nothing
        if (ownership === 'BucketOwnerEnforced') return {};
        const done = await store(objects.putObjectAcl(input.Bucket, input.Key, JSON.stringify(acl)), { bucket: input.Bucket, key: input.Key });
        if (!done) throw noSuchKey(input.Key);
        return {};
      },
      resources: objectResources,
    },
  };
}
