/**
 * An external S3-compatible bucket service as a delivery target (docs/architecture.md#delivery; tested against s3rver): HeadBucket, GetBucketPolicy, PutObject with `x-amz-acl:
 * bucket-owner-full-control` (what AWS's CloudTrail write policy requires). Path-style addressing
 * and checksums only when required: s3rver stores aws-chunked framing verbatim otherwise.
 */
import { GetBucketPolicyCommand, HeadBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeliveryError, type DeliveryTarget } from './targets.ts';

export interface ExternalS3Settings {
  endpoint: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

export function externalS3Client(s: ExternalS3Settings): S3Client {
  return new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    maxAttempts: 1,
    ...(s.accessKeyId && s.secretAccessKey
      ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, ...(s.sessionToken ? { sessionToken: s.sessionToken } : {}) } }
      : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The error code an SDK failure reports: S3's code, the HTTP status, or the socket error (ECONNREFUSED…). */
function errorCode(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } };
  const socket = err.code ?? err.cause?.code;
  if (socket && /^E[A-Z]+$/.test(socket)) return socket;
  if (err.Code) return err.Code;
  if (err.name && err.name !== 'Error' && err.name !== 'UnknownError') return err.name;
  return err.$metadata?.httpStatusCode ? `HTTP${err.$metadata.httpStatusCode}` : 'UnknownError';
}

const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export function externalTarget(client: S3Client): DeliveryTarget {
  return {
    kind: 'external',
    async bucket(bucket) {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (e) {
        if (status(e) === 404 || errorCode(e) === 'NotFound' || errorCode(e) === 'NoSuchBucket') return { exists: false, policySupported: true };
        throw new DeliveryError(errorCode(e), `HeadBucket ${bucket}: ${(e as Error).message}`);
      }
      try {
        const r = await client.send(new GetBucketPolicyCommand({ Bucket: bucket }));
        return { exists: true, policySupported: true, ...(r.Policy ? { policy: r.Policy } : {}) };
      } catch (e) {
        const code = errorCode(e);
        if (code === 'NoSuchBucketPolicy') return { exists: true, policySupported: true };
        // s3rver answers MethodNotAllowed / NotImplemented: the service has no bucket policies
        if (code === 'MethodNotAllowed' || code === 'NotImplemented' || status(e) === 405 || status(e) === 501) return { exists: true, policySupported: false };
        throw new DeliveryError(code, `GetBucketPolicy ${bucket}: ${(e as Error).message}`);
      }
    },
    async putObject(bucket, key, o) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: o.body,
            ContentType: o.contentType,
            ...(o.contentEncoding ? { ContentEncoding: o.contentEncoding } : {}),
            Metadata: o.metadata,
            ACL: 'bucket-owner-full-control',
          }),
        );
      } catch (e) {
        throw new DeliveryError(errorCode(e), `PutObject ${bucket}/${key}: ${(e as Error).message}`);
      }
    },
  };
}
