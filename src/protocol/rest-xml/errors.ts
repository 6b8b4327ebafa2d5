/**
 * S3's error document and S3's spelling of the errors every service shares (S3 API Reference
 * "Error responses"; spec iam-sts §2 for AccessDenied, cloudtrail-codestar §h for SigV4 failures):
 *
 *   <Error><Code>NoSuchBucket</Code><Message>…</Message><BucketName>…</BucketName><RequestId>…</RequestId><HostId>…</HostId></Error>
 *
 * Extra elements (BucketName, Key, …) come from an error's `details`. The shared pipeline raises the
 * common errors in Query spelling; `restXmlError` renames them as S3 does (anonymous → AccessDenied,
 * unknown key → InvalidAccessKeyId, skew → RequestTimeTooSkewed, …).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors/aws-error.ts';
import { S3_MAX_BODY_BYTES } from './limits.ts';
import { xmlText, XML_DECLARATION } from './xml.ts';

export type DetailedError = AwsError & { details?: Record<string, string> };

export const withDetails = (e: AwsError, details: Record<string, string>): DetailedError => Object.assign(e, { details });

export const notImplemented = () => new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
export const methodNotAllowed = (method: string) =>
  withDetails(new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405), { Method: method, ResourceType: 'OBJECT' });

const s3 = (code: string, message: string, status: number) => new AwsError(code, message, status);

/** The common errors (raised in Query spelling by the shared steps) as S3 spells them. */
export function restXmlError(e: AwsError, claimedAccessKeyId?: string): AwsError {
  switch (e.code) {
    case 'MissingAuthenticationToken':
      return s3('AccessDenied', 'Access Denied', 403);
    case 'InvalidClientTokenId':
      return claimedAccessKeyId?.startsWith('ASIA')
        ? s3('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400)
        : withDetails(s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403), claimedAccessKeyId ? { AWSAccessKeyId: claimedAccessKeyId } : {});
    case 'ExpiredToken':
      return s3('ExpiredToken', 'The provided token has expired.', 400);
    case 'IncompleteSignature':
      return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; ${e.message}`, 400);
    case 'SignatureDoesNotMatch':
      if (/^Signature (expired|not yet current)/.test(e.message)) return s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
      if (e.message === 'Request has expired') return s3('AccessDenied', 'Request has expired', 403);
      if (e.message.startsWith('Credential should be scoped')) return s3('AuthorizationHeaderMalformed', `The authorization header is malformed; ${e.message.trim()}`, 400);
      if (e.message.includes("'x-amz-content-sha256'")) return s3('XAmzContentSHA256Mismatch', e.message, 400);
      return s3('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
    case 'AccessDeniedException':
      return s3('AccessDenied', e.message, 403);
    case 'ValidationError':
    case 'ValidationException':
      return s3('InvalidArgument', e.message, 400);
    case 'InvalidAction':
    case 'UnknownOperationException':
      return notImplemented();
    case 'EntityTooLarge':
      return withDetails(s3('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400), { MaxSizeAllowed: String(S3_MAX_BODY_BYTES) });
    case 'InternalFailure':
      return s3('InternalError', 'We encountered an internal error. Please try again.', 500);
    default:
      return e;
  }
}

/** S3's x-amz-id-2 / HostId: opaque, derived from the request id. */
export function hostId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

export function encodeRestXmlError(e: DetailedError, requestId: string): { status: number; body: string } {
  const details = Object.entries(e.details ?? {}).map(([k, v]) => `<${k}>${xmlText(v)}</${k}>`).join('');
  const body = `${XML_DECLARATION}<Error><Code>${xmlText(e.code)}</Code><Message>${xmlText(e.message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
  return { status: e.status, body };
}
