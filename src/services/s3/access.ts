/**
 * What each S3 call is authorized against (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html S3 table): the action, the bucket or object
 * ARN, the bucket policy as the resource-based policy, and S3's condition keys; plus the S3 rule that
 * a missing key is 404 only for callers allowed s3:ListBucket, else 403 (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
 */
import { authorize } from '../../auth/authorize.ts';
import type { Principal } from '../../auth/principal.ts';
import { AwsError } from '../../errors/aws-error.ts';
import { isValidBucketName, type ObjectStore } from '../../objects/index.ts';
import { restXml } from '../../protocol/rest-xml/index.ts';
import type { AuditResource, AuthorizationTarget, OperationContext } from '../types.ts';
import { aclPolicy } from './acl.ts';
import { isPublicPolicy } from './public-policy.ts';
import { accessDenied, invalidBucketName, noSuchKey } from './errors.ts';

export const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/** An input naming a bucket, and for object operations a key: path labels, always there (REST-XML decoding reads them from the path). */
type BucketInput = { Bucket?: string; Key?: string };
type Keys = Record<string, string | string[] | undefined>;

/** S3 checks the name before anything else: every operation on a malformed name is InvalidBucketName. */
export function checkBucketName(bucket: string): void {
  if (!isValidBucketName(bucket)) throw invalidBucketName(bucket);
}

/** The bucket's policy, or undefined (no bucket, no policy): a missing bucket is the handler's to report. */
export async function policyOf(objects: ObjectStore, bucket: string): Promise<string | undefined> {
  return objects.getBucketPolicy(bucket).catch(() => undefined);
}

/**
 * The account owning the bucket (docs/accounts.md#cross-account-access): its creator's; a bucket made
 * before accounts belongs to the configured account. undefined when there is no such bucket.
 */
export async function ownerOf(objects: ObjectStore, bucket: string, configured: string): Promise<string | undefined> {
  const b = await objects.getBucket(bucket).catch(() => undefined);
  return b ? (b.owner ?? configured) : undefined;
}

/**
 * The bucket policy as it decides a caller's access: with Block Public Access's RestrictPublicBuckets
 * a public policy grants nothing to anonymous callers or other accounts than the owner's
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 */
export async function effectivePolicy(
  objects: ObjectStore,
  bucket: string,
  policy: string | undefined,
  owner: string | undefined,
  principal: Pick<Principal, 'type' | 'accountId'> | undefined,
): Promise<string | undefined> {
  if (!policy || !principal || (principal.type !== 'Unknown' && principal.accountId === owner)) return policy;
  const text = await objects.getBucketConfig(bucket, 'public-access-block').catch(() => undefined);
  const restrict = text !== undefined && JSON.parse(text).RestrictPublicBuckets === true;
  return restrict && isPublicPolicy(policy) ? undefined : policy;
}

/** `authorize` for an operation on the bucket (`object: false`) or on the object named by the input's Key. */
export function target<K = object>(objects: ObjectStore, action: string, opts: { object?: boolean; keys?: (input: K) => Keys } = {}) {
  return async (input: BucketInput & K, ctx: { config: { accountId: string }; principal?: Principal }): Promise<AuthorizationTarget> => {
    const bucket = input.Bucket ?? '';
    checkBucketName(bucket);
    const [stored, owner] = await Promise.all([policyOf(objects, bucket), ownerOf(objects, bucket, ctx.config.accountId)]);
    const policy = await aclPolicy(
      objects,
      bucket,
      opts.object ? (input.Key ?? '') : undefined,
      await effectivePolicy(objects, bucket, stored, owner, ctx.principal),
      owner,
    );
    return {
      action,
      resource: opts.object ? objectArn(bucket, input.Key ?? '') : bucketArn(bucket),
      ...(policy ? { resourcePolicy: policy } : {}),
      ...(owner !== undefined ? { resourceAccount: owner } : {}),
      ...(opts.keys ? { keys: opts.keys(input) } : {}),
    };
  };
}

/**
 * A second authorization inside a call (CopyObject's s3:GetObject on the source, https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html):
 * the same evaluation as the pipeline's step, throwing the same AccessDenied.
 */
export async function requireAllowed(
  ctx: OperationContext,
  action: string,
  resource: string,
  policy: string | undefined,
  resourceAccount?: string,
): Promise<void> {
  await authorize(ctx.store, {
    ...(resourceAccount !== undefined ? { resourceAccount } : {}),
    principal: ctx.principal,
    action,
    resources: [resource],
    region: ctx.region,
    sourceIp: ctx.sourceIp,
    now: ctx.now,
    protocol: restXml,
    s3: true,
    ...(policy ? { resourcePolicy: policy } : {}),
  });
}

/** Whether the caller may perform `action` on `resource` (same evaluation as the pipeline's step). */
export async function allowed(ctx: OperationContext, action: string, resource: string, policy: string | undefined, resourceAccount?: string): Promise<boolean> {
  try {
    await requireAllowed(ctx, action, resource, policy, resourceAccount);
    return true;
  } catch (e) {
    if (e instanceof AwsError && e.status === 403) return false;
    throw e;
  }
}

/** GetObject/HeadObject of a missing key: NoSuchKey for callers who may list the bucket, AccessDenied otherwise. */
export async function missingKey(objects: ObjectStore, ctx: OperationContext, bucket: string, key: string): Promise<never> {
  const owner = await ownerOf(objects, bucket, ctx.config.accountId);
  const policy = await aclPolicy(
    objects,
    bucket,
    undefined,
    await effectivePolicy(objects, bucket, await policyOf(objects, bucket), owner, ctx.principal),
    owner,
  );
  if (await allowed(ctx, 's3:ListBucket', bucketArn(bucket), policy, owner)) throw noSuchKey(key);
  throw accessDenied();
}

/**
 * CloudTrail `resources` (as S3 records them): the bucket, and for object calls the object first. The
 * bucket's accountId is the owner's: the record's resource account (audit/observer.ts observeAll), by default the caller's.
 */
export function bucketResources(input: { Bucket: string }, _out?: unknown, _ctx?: OperationContext): AuditResource[] {
  return [{ type: 'AWS::S3::Bucket', ARN: bucketArn(input.Bucket) }];
}

export function objectResources(input: { Bucket: string; Key: string }, out: unknown, ctx: OperationContext): AuditResource[] {
  return [{ type: 'AWS::S3::Object', ARN: objectArn(input.Bucket, input.Key) }, ...bucketResources(input, out, ctx)];
}
