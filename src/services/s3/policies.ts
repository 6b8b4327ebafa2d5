/**
 * Bucket policies (S3 API Reference Put/Get/DeleteBucketPolicy; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html: a bucket policy is
 * a resource-based policy). A policy must parse as a resource policy (Principal required), name only
 * S3 actions, and cover only this bucket and its objects, else MalformedPolicy. The text is stored
 * and returned exactly as sent.
 */
import { parsePolicy, PolicyDocumentError, type PolicyDocument } from '../../auth/policy/index.ts';
import type { ObjectStore } from '../../objects/index.ts';
import type { OperationDefs } from '../types.ts';
import type { Operations as Ops, Output } from './model.generated.ts';
import { bucketArn, bucketResources, target } from './access.ts';
import { publicAccessBlockOf } from './bucket-config.ts';
import { isPublicPolicy } from './public-policy.ts';
import { accessDenied, malformedPolicy, noSuchBucket, noSuchBucketPolicy, store } from './errors.ts';

const MAX_POLICY_BYTES = 20 * 1024;

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
}

/** Does the resource pattern cover the bucket or something inside it? */
function coversBucket(pattern: string, bucket: string): boolean {
  const arn = bucketArn(bucket);
  if (pattern === '*' || wildcard(pattern).test(arn)) return true;
  const literal = pattern.split(/[*?]/)[0]!;
  return literal.startsWith(`${arn}/`) || (literal.length < pattern.length && `${arn}/`.startsWith(literal));
}

/** Throws MalformedPolicy unless `text` is a valid bucket policy for `bucket`. */
export function validateBucketPolicy(text: string, bucket: string): PolicyDocument {
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES) throw malformedPolicy('Policy exceeds the maximum allowed document size.');
  if (!text.trimStart().startsWith('{')) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(text, 'resource');
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw malformedPolicy(e.message);
    throw e;
  }
  for (const s of doc.Statement) {
    for (const a of [...(s.Action ?? []), ...(s.NotAction ?? [])]) {
      if (a !== '*' && !a.toLowerCase().startsWith('s3:')) throw malformedPolicy('Policy has invalid action');
    }
    for (const r of [...(s.Resource ?? []), ...(s.NotResource ?? [])]) {
      if (!coversBucket(r, bucket)) throw malformedPolicy('Policy has invalid resource');
    }
  }
  return doc;
}

export function policyOperations(objects: ObjectStore): OperationDefs<Ops, 'PutBucketPolicy' | 'GetBucketPolicy' | 'DeleteBucketPolicy'> {
  return {
    PutBucketPolicy: {
      readOnly: false,
      authorize: target(objects, 's3:PutBucketPolicy'),
      async handler(input): Promise<Output<'PutBucketPolicy'>> {
        if (!(await objects.getBucket(input.Bucket))) throw noSuchBucket(input.Bucket);
        validateBucketPolicy(input.Policy ?? '', input.Bucket);
        // BlockPublicPolicy: "Amazon S3 rejects calls to PUT Bucket policy if the specified bucket policy allows public access" (Block Public Access)
        if ((await publicAccessBlockOf(objects, input.Bucket))?.BlockPublicPolicy && isPublicPolicy(input.Policy)) throw accessDenied();
        await store(objects.putBucketPolicy(input.Bucket, input.Policy), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },

    GetBucketPolicy: {
      readOnly: true,
      authorize: target(objects, 's3:GetBucketPolicy'),
      async handler(input): Promise<Output<'GetBucketPolicy'>> {
        const policy = await store(objects.getBucketPolicy(input.Bucket), { bucket: input.Bucket });
        if (policy === undefined) throw noSuchBucketPolicy(input.Bucket);
        return { Policy: policy };
      },
      resources: bucketResources,
    },

    DeleteBucketPolicy: {
      readOnly: false,
      authorize: target(objects, 's3:DeleteBucketPolicy'),
      async handler(input): Promise<Output<'DeleteBucketPolicy'>> {
        await store(objects.deleteBucketPolicy(input.Bucket), { bucket: input.Bucket });
        return {};
      },
      resources: bucketResources,
    },
  };
}
