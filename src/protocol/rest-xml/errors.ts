/**
 * S3's error document (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html):
 *
 *   <Error><Code>NoSuchBucket</Code><Message>…</Message><BucketName>…</BucketName><RequestId>…</RequestId><HostId>…</HostId></Error>
 *
 * Extra elements (BucketName, Key, …) come from an error's `details`. How S3 spells the errors every
 * service shares (anonymous → AccessDenied, unknown key → InvalidAccessKeyId, skew →
 * RequestTimeTooSkewed, …) is the restXml protocol object's (protocol.ts).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../errors/aws-error.ts';
import { xmlText, XML_DECLARATION } from './xml.ts';

export type DetailedError = AwsError & { details?: Record<string, string> };

export const withDetails = (e: AwsError, details: Record<string, string>): DetailedError => Object.assign(e, { details });

export const notImplemented = () => new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
export const methodNotAllowed = (method: string) =>
  withDetails(new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405), { Method: method, ResourceType: 'OBJECT' });

/** Why routing found no operation (routes.ts), as S3 answers it. */
export const refusalError = (refusal: 'NotImplemented' | 'MethodNotAllowed', method: string): AwsError =>
  refusal === 'MethodNotAllowed' ? methodNotAllowed(method) : notImplemented();

/** S3's x-amz-id-2 / HostId: opaque, derived from the request id. */
export function hostId(requestId: string): string {
  return createHash('sha256').update(requestId).digest('base64');
}

export function encodeRestXmlError(e: DetailedError, requestId: string): { status: number; body: string } {
  const details = Object.entries(e.details ?? {})
    .map(([k, v]) => `<${k}>${xmlText(v)}</${k}>`)
    .join('');
  const body = `${XML_DECLARATION}<Error><Code>${xmlText(e.code)}</Code><Message>${xmlText(e.message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`;
  return { status: e.status, body };
}
