/**
 * The AWS Query protocol as an object (IAM, STS; https://smithy.io/2.0/aws/protocols/aws-query-protocol.html):
 * a form naming the operation in `Action`, an XML result `<OpResponse><OpResult>…`, errors as
 * `<ErrorResponse>` in the service's namespace, and the common errors as IAM and STS spell them
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
 */
import { SIGNATURE_MISMATCH_MESSAGE, type SigV4Error } from '../../auth/sigv4/errors.ts';
import { AwsError, internalFailure } from '../../errors/aws-error.ts';
import type { ServiceModel } from '../model.ts';
import { responseDate, type CommonErrors, type ResponseMeta, type WireProtocol, type WireRequest, type WireResponse } from '../wire.ts';
import { decodeQuery, encodeQueryError, encodeQueryResponse, malformedQueryString, queryValidationError, XML_CONTENT_TYPE } from './index.ts';

export const queryErrors: CommonErrors = {
  // IAM, STS: "Could not find operation Foo for version 2010-05-08"
  unknownOperation: (op, apiVersion) =>
    new AwsError(
      'InvalidAction',
      op
        ? `Could not find operation ${op} for version${apiVersion ? ` ${apiVersion}` : ''}`
        : 'The action or operation requested is invalid. Verify that the action is typed correctly.',
      400,
    ),
  malformedBody: (detail) => malformedQueryString(detail),
  validation: (message) => queryValidationError(message),
  sigv4: (e: SigV4Error) => {
    switch (e.kind) {
      case 'missing':
        return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
      case 'incomplete':
        return new AwsError('IncompleteSignature', e.message, 400);
      case 'content-sha256':
        return new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, 403);
      case 'scope':
      case 'skew':
      case 'expired':
      case 'signature':
        return new AwsError('SignatureDoesNotMatch', e.message, 403);
    }
  },
  unrecognizedClient: () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
  expiredToken: () => new AwsError('ExpiredToken', 'The security token included in the request is expired', 403),
  accessDenied: (message) => new AwsError('AccessDenied', message, 403),
  throttling: () => new AwsError('Throttling', 'Rate exceeded', 400),
  internalFailure,
  requestTooLarge: (limit) => new AwsError('RequestEntityTooLarge', `Request body is larger than the limit of ${limit} bytes`, 413),
};

const headers = (meta: ResponseMeta): Record<string, string> => ({
  'content-type': XML_CONTENT_TYPE,
  'x-amzn-requestid': meta.requestId,
  date: responseDate(),
});

export const awsQuery: WireProtocol = {
  name: 'awsQuery',
  addressing: 'action',
  // IAM and STS name members lower-first in validation messages ('userName', not 'UserName')
  validation: { lowerFirst: true },
  errors: queryErrors,
  decode(model: ServiceModel, operation: string, _req: WireRequest, form?: Map<string, string>): Record<string, unknown> {
    return decodeQuery(model, model.operations[operation]?.input, form ?? new Map());
  },
  encodeResult(model: ServiceModel, operation: string, output: unknown, meta: ResponseMeta): WireResponse {
    return { status: 200, headers: headers(meta), body: encodeQueryResponse(model, operation, output, meta.requestId) };
  },
  encodeError(model: ServiceModel | undefined, error: AwsError, meta: ResponseMeta): WireResponse {
    const { status, body } = encodeQueryError(model?.metadata.xmlNamespace ?? '', error, meta.requestId);
    return { status, headers: headers(meta), body };
  },
};

/**
 * SNS speaks awsQuery but spells a denial `AuthorizationError` (403), as its API reference lists
 * it (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html, docs/sns.md#errors).
 */
export const snsQuery: WireProtocol = {
  ...awsQuery,
  errors: { ...queryErrors, accessDenied: (message) => new AwsError('AuthorizationError', message, 403) },
};
