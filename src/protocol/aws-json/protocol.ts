/**
 * The AWS JSON protocols as objects: awsJson1_1 (CodeStar, CloudTrail) and awsJson1_0 (SQS). Both
 * POST a JSON document to `/` naming the operation in `X-Amz-Target`; they share shapes, codes and
 * error form and differ in the content type (https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html,
 * https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html). An error's `__type` is the bare
 * shape name of the error (no namespace), as both specifications ask of new servers; `message`
 * carries the text.
 */
import { SIGNATURE_MISMATCH_MESSAGE, type SigV4Error } from '../../auth/sigv4/errors.ts';
import { AwsError, internalFailure } from '../../errors/aws-error.ts';
import type { ServiceModel } from '../model.ts';
import { responseDate, type CommonErrors, type ResponseMeta, type WireProtocol, type WireRequest, type WireResponse } from '../wire.ts';
import { decodeJson, encodeJsonError, JSON_1_0_CONTENT_TYPE, JSON_CONTENT_TYPE, parseJsonBody, serializationError } from './index.ts';
import { serializeJson } from './serialize.ts';

/** The common errors as AWS's JSON services spell them. */
export const jsonErrors: CommonErrors = {
  unknownOperation: (op) => new AwsError('UnknownOperationException', op ? `Unknown operation ${op}` : 'Unknown operation', 400),
  malformedBody: (detail) => serializationError(detail),
  validation: (message) => new AwsError('ValidationException', message, 400),
  sigv4: (e: SigV4Error) => {
    switch (e.kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
      case 'incomplete':
        return new AwsError('IncompleteSignatureException', e.message, 400);
      // outside S3 a body that is not the one signed for is a signature mismatch like any other
      case 'content-sha256':
        return new AwsError('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE, 400);
      case 'scope':
      case 'skew':
      case 'expired':
      case 'signature':
        return new AwsError('InvalidSignatureException', e.message, 400);
    }
  },
  unrecognizedClient: () => new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
  expiredToken: () => new AwsError('ExpiredTokenException', 'The security token included in the request is expired', 400),
  accessDenied: (message) => new AwsError('AccessDeniedException', message, 400),
  throttling: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
  internalFailure,
  requestTooLarge: (limit) => new AwsError('SerializationException', `Request body is larger than the limit of ${limit} bytes`, 413),
};

function awsJson(name: 'awsJson1_0' | 'awsJson1_1', contentType: string): WireProtocol {
  const headers = (meta: ResponseMeta): Record<string, string> => ({ 'content-type': contentType, 'x-amzn-requestid': meta.requestId, date: responseDate() });
  return {
    name,
    addressing: 'target',
    validation: {},
    errors: jsonErrors,
    decode(model: ServiceModel, operation: string, req: WireRequest): Record<string, unknown> {
      const raw = parseJsonBody(req.body);
      const shape = model.operations[operation]?.input;
      return shape ? (decodeJson(model, shape, raw) as Record<string, unknown>) : {};
    },
    encodeResult(model: ServiceModel, operation: string, output: unknown, meta: ResponseMeta): WireResponse {
      const shape = model.operations[operation]?.output;
      return { status: 200, headers: headers(meta), body: serializeJson(model, shape, output ?? {}) ?? '{}' };
    },
    encodeError(_model: ServiceModel | undefined, error: AwsError, meta: ResponseMeta): WireResponse {
      const { status, body } = encodeJsonError(error);
      return { status, headers: headers(meta), body };
    },
  };
}

export const awsJson1_1 = awsJson('awsJson1_1', JSON_CONTENT_TYPE);
export const awsJson1_0 = awsJson('awsJson1_0', JSON_1_0_CONTENT_TYPE);
