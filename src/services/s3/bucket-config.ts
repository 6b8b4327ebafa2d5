/**
 * Bucket configuration subresources (docs/s3.md#bucket-configuration): tagging, default encryption,
 * Block Public Access, object ownership, and the policy status. Each is kept beside the bucket
 * (src/objects: config/<name>.json), authorized with its own IAM action, and recorded as a
 * management event like the other bucket operations.
 *
 * - New buckets have SSE-S3 (AES256) default encryption, and DeleteBucketEncryption restores it
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html).
 * - New buckets have ObjectOwnership BucketOwnerEnforced
 *   (https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html), and all four
 *   Block Public Access settings (https://docs.aws.amazon.com/AmazonS3/latest/userguide/create-bucket-overview.html).
 * - Block Public Access (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html):
 *   BlockPublicPolicy refuses a public PutBucketPolicy; RestrictPublicBuckets makes a public policy
 *   grant nothing to anonymous callers and other accounts (access.ts).
 */
import type { BucketConfigName, ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type {
  Operations as Ops,
  Output,
  OwnershipControls,
  PublicAccessBlockConfiguration,
  ServerSideEncryption,
  ServerSideEncryptionConfiguration,
  Tag,
} from './model.generated.ts';
import { bucketResources, target } from './access.ts';
import { bucketAclOf, invalidBucketAclWithOwnership, isOwnerOnly, type ObjectOwnership, type StoredAcl } from './acl.ts';
import { ownerOf } from './access.ts';
import { isPublicPolicy } from './public-policy.ts';
import { invalidArgument, invalidRequest, malformedXml, noSuchBucket, S3Error, store } from './errors.ts';

export const DEFAULT_ENCRYPTION: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};
export const DEFAULT_OWNERSHIP: OwnershipControls = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] };

export const OWNERSHIPS: ObjectOwnership[] = ['BucketOwnerPreferred', 'ObjectWriter', 'BucketOwnerEnforced'];

const notFound = (code: string, message: string, bucket: string) => new S3Error(code, message, 404, { BucketName: bucket });
export const noSuchTagSet = (bucket: string) => notFound('NoSuchTagSet', 'The TagSet does not exist', bucket);
export const noPublicAccessBlock = (bucket: string) =>
  notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', bucket);
export const ownershipNotFound = (bucket: string) => notFound('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', bucket);

async function read<T>(objects: ObjectStore, bucket: string, name: BucketConfigName): Promise<T | undefined> {
  const text = await store(objects.getBucketConfig(bucket, name), { bucket });
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

async function write(objects: ObjectStore, bucket: string, name: BucketConfigName, value: unknown): Promise<void> {
  await store(objects.putBucketConfig(bucket, name, value === undefined ? undefined : JSON.stringify(value)), { bucket });
}

/** All four Block Public Access settings: what a new bucket has since April 2023 (docs/s3.md#block-public-access). */
export const DEFAULT_PUBLIC_ACCESS_BLOCK: Required<PublicAccessBlockConfiguration> = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * The configuration a new bucket starts with (CreateBucket), as the texts the object store keeps
 * (name → JSON): SSE-S3, the ownership asked for (BucketOwnerEnforced by default), Block Public
 * Access all on, the ACL asked for, if any, and for a bucket made with Object Lock its configuration
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html). CreateBucket
 * hands them to ObjectStore.createBucket, which writes them with the bucket in one step.
 */
export function initialBucketConfig(
  opts: { ownership?: ObjectOwnership; acl?: StoredAcl; objectLock?: boolean } = {},
): Partial<Record<BucketConfigName, string>> {
  return {
    encryption: JSON.stringify(DEFAULT_ENCRYPTION),
    'ownership-controls': JSON.stringify(opts.ownership ? { Rules: [{ ObjectOwnership: opts.ownership }] } : DEFAULT_OWNERSHIP),
    'public-access-block': JSON.stringify(DEFAULT_PUBLIC_ACCESS_BLOCK),
    ...(opts.acl ? { acl: JSON.stringify(opts.acl) } : {}),
    ...(opts.objectLock ? { 'object-lock': JSON.stringify({ ObjectLockEnabled: 'Enabled' }) } : {}),
  };
}

/** The bucket's Block Public Access settings, or none (a missing bucket has none). */
export async function publicAccessBlockOf(objects: ObjectStore, bucket: string): Promise<PublicAccessBlockConfiguration | undefined> {
  return read<PublicAccessBlockConfiguration>(objects, bucket, 'public-access-block').catch(() => undefined);
}

/** What objects written to the bucket report as x-amz-server-side-encryption (and the KMS key): the bucket's default. */
export async function defaultEncryptionOf(
  objects: ObjectStore,
  bucket: string,
): Promise<{ ServerSideEncryption?: ServerSideEncryption; SSEKMSKeyId?: string }> {
  const c = await read<ServerSideEncryptionConfiguration>(objects, bucket, 'encryption').catch(() => undefined);
  const d = c?.Rules[0]?.ApplyServerSideEncryptionByDefault;
  if (!d) return {};
  return { ServerSideEncryption: d.SSEAlgorithm, ...(d.KMSMasterKeyID ? { SSEKMSKeyId: d.KMSMasterKeyID } : {}) };
}

/** Tag sets as S3 checks them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html): ≤ 50 tags, unique keys, key 1–128, value ≤ 256, no aws: prefix. */
export function checkTagSet(tags: Tag[]): void {
  if (tags.length > 50) throw invalidRequest('Bucket tag count cannot be greater than 50');
  const seen = new Set<string>();
  for (const t of tags) {
    if (typeof t.Key !== 'string' || typeof t.Value !== 'string') throw malformedXml();
    if (t.Key.length < 1 || t.Key.length > 128) throw invalidArgument('The TagKey you have provided is invalid', 'TagKey', t.Key);
    if (t.Value.length > 256) throw invalidArgument('The TagValue you have provided is invalid', 'TagValue', t.Value);
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidArgument('Your TagKey cannot be prefixed with aws:', 'TagKey', t.Key);
    if (seen.has(t.Key)) throw invalidRequest('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
  }
}

/** A default-encryption configuration as S3 accepts it: exactly one rule, AES256 (no key) or aws:kms. */
export function checkEncryption(c: ServerSideEncryptionConfiguration | undefined): ServerSideEncryptionConfiguration {
  const rules = c?.Rules;
  if (!Array.isArray(rules) || rules.length !== 1) throw malformedXml();
  const d = rules[0]!.ApplyServerSideEncryptionByDefault;
  if (!d || (d.SSEAlgorithm !== 'AES256' && d.SSEAlgorithm !== 'aws:kms')) throw malformedXml();
  if (d.SSEAlgorithm === 'AES256' && d.KMSMasterKeyID) {
    throw invalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms', 'ApplyServerSideEncryptionByDefault', '');
  }
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: d.SSEAlgorithm, ...(d.KMSMasterKeyID ? { KMSMasterKeyID: d.KMSMasterKeyID } : {}) },
        BucketKeyEnabled: rules[0]!.BucketKeyEnabled ?? false,
      },
    ],
  };
}

export function checkOwnership(c: OwnershipControls | undefined): OwnershipControls {
  const rules = c?.Rules;
  if (!Array.isArray(rules) || rules.length !== 1 || !OWNERSHIPS.includes(rules[0]!.ObjectOwnership as ObjectOwnership)) throw malformedXml();
  return { Rules: [{ ObjectOwnership: rules[0]!.ObjectOwnership }] };
}

const PAB_KEYS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** Every flag, false when not given (GetPublicAccessBlock answers all four). */
export function checkPublicAccessBlock(c: PublicAccessBlockConfiguration | undefined): Required<PublicAccessBlockConfiguration> {
  if (!c || typeof c !== 'object') throw malformedXml();
  return Object.fromEntries(PAB_KEYS.map((k) => [k, c[k] === true])) as Required<PublicAccessBlockConfiguration>;
}

type ConfigOps =
  | 'PutBucketTagging'
  | 'GetBucketTagging'
  | 'DeleteBucketTagging'
  | 'PutBucketEncryption'
  | 'GetBucketEncryption'
  | 'DeleteBucketEncryption'
  | 'PutPublicAccessBlock'
  | 'GetPublicAccessBlock'
  | 'DeletePublicAccessBlock'
  | 'GetBucketPolicyStatus'
  | 'PutBucketOwnershipControls'
  | 'GetBucketOwnershipControls'
  | 'DeleteBucketOwnershipControls';

export function bucketConfigOperations(objects: ObjectStore): OperationDefs<Ops, ConfigOps> {
  const requireBucket = async (bucket: string) => {
    if (!(await objects.getBucket(bucket))) throw noSuchBucket(bucket);
  };
  return {
    PutBucketTagging: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketTagging'),
      async handler(input): Promise<Output<'PutBucketTagging'>> {
        await requireBucket(input.Bucket);
        const tags = input.Tagging?.TagSet;
        if (!Array.isArray(tags)) throw malformedXml();
        checkTagSet(tags);
        await write(objects, input.Bucket, 'tagging', { TagSet: tags.map((t) => ({ Key: t.Key, Value: t.Value })) });
        return {};
      },
      resources: bucketResources,
    },
    GetBucketTagging: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketTagging'),
      async handler(input): Promise<Output<'GetBucketTagging'>> {
        const t = await read<{ TagSet: Tag[] }>(objects, input.Bucket, 'tagging');
        if (!t) throw noSuchTagSet(input.Bucket);
        return { TagSet: t.TagSet };
      },
      resources: bucketResources,
    },
    DeleteBucketTagging: {
      readOnly: false,
      // S3 has no s3:DeleteBucketTagging: deleting is s3:PutBucketTagging (Service Authorization Reference, S3 table)
      authorize: target(objects, 's3:PutBucketTagging'),
      async handler(input): Promise<Output<'DeleteBucketTagging'>> {
        await write(objects, input.Bucket, 'tagging', undefined);
        return {};
      },
      resources: bucketResources,
    },

    PutBucketEncryption: {
      readOnly: false,
      authorize: target(objects, 's3:PutEncryptionConfiguration'),
      async handler(input): Promise<Output<'PutBucketEncryption'>> {
        await requireBucket(input.Bucket);
        await write(objects, input.Bucket, 'encryption', checkEncryption(input.ServerSideEncryptionConfiguration));
        return {};
      },
      resources: bucketResources,
    },
    GetBucketEncryption: {
      readOnly: true,
      authorize: target(objects, 's3:GetEncryptionConfiguration'),
      async handler(input): Promise<Output<'GetBucketEncryption'>> {
        // a bucket made before startrail kept encryption settings has none: it has S3's default, SSE-S3, as every
        // bucket on AWS since January 2023 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html)
        const c = await read<ServerSideEncryptionConfiguration>(objects, input.Bucket, 'encryption');
        return { ServerSideEncryptionConfiguration: c ?? DEFAULT_ENCRYPTION };
      },
      resources: bucketResources,
    },
    DeleteBucketEncryption: {
      readOnly: false,
      authorize: target(objects, 's3:PutEncryptionConfiguration'),
      async handler(input): Promise<Output<'DeleteBucketEncryption'>> {
        // "resets the default encryption for the bucket as server-side encryption with Amazon S3 managed keys (SSE-S3)" (API_DeleteBucketEncryption)
        await write(objects, input.Bucket, 'encryption', DEFAULT_ENCRYPTION);
        return {};
      },
      resources: bucketResources,
    },

    PutPublicAccessBlock: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketPublicAccessBlock'),
      async handler(input): Promise<Output<'PutPublicAccessBlock'>> {
        await requireBucket(input.Bucket);
        await write(objects, input.Bucket, 'public-access-block', checkPublicAccessBlock(input.PublicAccessBlockConfiguration));
        return {};
      },
      resources: bucketResources,
    },
    GetPublicAccessBlock: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketPublicAccessBlock'),
      async handler(input): Promise<Output<'GetPublicAccessBlock'>> {
        const c = await read<PublicAccessBlockConfiguration>(objects, input.Bucket, 'public-access-block');
        if (!c) throw noPublicAccessBlock(input.Bucket);
        return { PublicAccessBlockConfiguration: c };
      },
      resources: bucketResources,
    },
    DeletePublicAccessBlock: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketPublicAccessBlock'),
      async handler(input): Promise<Output<'DeletePublicAccessBlock'>> {
        await write(objects, input.Bucket, 'public-access-block', undefined);
        return {};
      },
      resources: bucketResources,
    },
    GetBucketPolicyStatus: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketPolicyStatus'),
      async handler(input): Promise<Output<'GetBucketPolicyStatus'>> {
        const policy = await store(objects.getBucketPolicy(input.Bucket), { bucket: input.Bucket });
        // a bucket without a policy: NoSuchBucketPolicy, as S3 answers
        if (policy === undefined) throw new S3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: input.Bucket });
        return { PolicyStatus: { IsPublic: isPublicPolicy(policy) } };
      },
      resources: bucketResources,
    },

    PutBucketOwnershipControls: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketOwnershipControls'),
      async handler(input, ctx): Promise<Output<'PutBucketOwnershipControls'>> {
        await requireBucket(input.Bucket);
        const controls = checkOwnership(input.OwnershipControls);
        // disabling ACLs needs a bucket ACL granting only the owner (object-ownership-error-responses.html)
        const acl = await bucketAclOf(objects, input.Bucket);
        const owner = await ownerOf(objects, input.Bucket, ctx.config.accountId);
        if (controls.Rules[0]!.ObjectOwnership === 'BucketOwnerEnforced' && acl && owner !== undefined && !isOwnerOnly(acl, owner)) {
          throw invalidBucketAclWithOwnership();
        }
        await write(objects, input.Bucket, 'ownership-controls', controls);
        return {};
      },
      resources: bucketResources,
    },
    GetBucketOwnershipControls: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketOwnershipControls'),
      async handler(input): Promise<Output<'GetBucketOwnershipControls'>> {
        const c = await read<OwnershipControls>(objects, input.Bucket, 'ownership-controls');
        if (!c) throw ownershipNotFound(input.Bucket);
        return { OwnershipControls: c };
      },
      resources: bucketResources,
    },
    DeleteBucketOwnershipControls: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketOwnershipControls'),
      async handler(input): Promise<Output<'DeleteBucketOwnershipControls'>> {
        await write(objects, input.Bucket, 'ownership-controls', undefined);
        return {};
      },
      resources: bucketResources,
    },
  };
}
