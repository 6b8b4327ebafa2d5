/**
 * REST-XML as S3 speaks it, as an object (https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html):
 * the operation comes from the method and path (routes.ts, once, when the request is resolved), the
 * input from uri/query/header/payload (decode.ts), the result as headers and an XML document
 * (encode.ts), errors as S3's `<Error>` document (errors.ts), and the errors every service shares as
 * S3 spells them (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).
 */
import type { SigV4Error } from '../../auth/sigv4/errors.ts';
import { AwsError } from '../../errors/aws-error.ts';
import type { ServiceModel } from '../model.ts';
import { responseDate, type CommonErrors, type ResponseMeta, type WireProtocol, type WireRequest, type WireResponse } from '../wire.ts';
import { decodeRestXml } from './decode.ts';
import { encodeRestXmlResponse, XML_CONTENT_TYPE } from './encode.ts';
import { encodeRestXmlError, hostId, notImplemented, withDetails, type DetailedError } from './errors.ts';
import { S3_MAX_BODY_BYTES } from './limits.ts';
import { malformedXml } from './xml.ts';

const s3 = (code: string, message: string, status: number) => new AwsError(code, message, status);

const malformedAuthorization = (detail: string) => s3('AuthorizationHeaderMalformed', `The authorization header is malformed; ${detail}`, 400);

export const restXmlErrors: CommonErrors = {
  // S3 answers a request for an operation it does not serve with NotImplemented (routes.ts)
  unknownOperation: () => notImplemented(),
  malformedBody: () => malformedXml(),
  validation: (message) => s3('InvalidArgument', message, 400),
  sigv4: (e: SigV4Error) => {
    switch (e.kind) {
      case 'missing':
        return s3('AccessDenied', 'Access Denied', 403);
      case 'incomplete':
        return malformedAuthorization(e.message);
      case 'scope':
        return malformedAuthorization(e.message.trim());
      case 'skew':
        return s3('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
      case 'expired':
        return s3('AccessDenied', 'Request has expired', 403);
      case 'content-sha256':
        return s3('XAmzContentSHA256Mismatch', e.message, 400);
      case 'signature':
        return s3(
          'SignatureDoesNotMatch',
          'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
          403,
        );
    }
  },
  unrecognizedClient: (accessKeyId) =>
    accessKeyId.startsWith('ASIA')
      ? s3('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400)
      : withDetails(
          s3('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403),
          accessKeyId ? { AWSAccessKeyId: accessKeyId } : {},
        ),
  expiredToken: () => s3('ExpiredToken', 'The provided token has expired.', 400),
  accessDenied: (message) => s3('AccessDenied', message, 403),
  throttling: () => s3('SlowDown', 'Please reduce your request rate.', 503),
  internalFailure: () => s3('InternalError', 'We encountered an internal error. Please try again.', 500),
  // the S3 route's own body limit (limits.ts), which the HTTP edge applies to requests signed for s3
  requestTooLarge: () =>
    withDetails(s3('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400), { MaxSizeAllowed: String(S3_MAX_BODY_BYTES) }),
};

/** S3 names the request in x-amz-request-id and x-amz-id-2 besides x-amzn-RequestId. */
const headers = (meta: ResponseMeta): Record<string, string> => ({
  'x-amzn-requestid': meta.requestId,
  'x-amz-request-id': meta.requestId,
  'x-amz-id-2': hostId(meta.requestId),
  date: responseDate(),
});

export const restXml: WireProtocol = {
  name: 'restXml',
  addressing: 'rest',
  validation: {},
  errors: restXmlErrors,
  decode(model: ServiceModel, operation: string, req: WireRequest): Record<string, unknown> {
    return decodeRestXml(model, operation, req);
  },
  encodeResult(model: ServiceModel, operation: string, output: unknown, meta: ResponseMeta): WireResponse {
    const r = encodeRestXmlResponse(model, operation, output);
    return { status: r.status, headers: { ...headers(meta), ...r.headers }, body: r.body };
  },
  encodeError(_model: ServiceModel | undefined, error: DetailedError, meta: ResponseMeta): WireResponse {
    const { status, body } = encodeRestXmlError(error, meta.requestId);
    return { status, headers: { ...headers(meta), 'content-type': XML_CONTENT_TYPE }, body };
  },
};
