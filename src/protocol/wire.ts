/**
 * One object per wire protocol (awsJson1_0, awsJson1_1, awsQuery, restXml): everything in which the
 * protocols differ — how a request names its operation, how its input is read, how a result and an
 * error are written, and how the errors every service shares are spelled — lives behind this
 * interface, so the pipeline (src/pipeline/) never asks which protocol a call speaks.
 *
 *   AWS JSON 1.0  https://smithy.io/2.0/aws/protocols/aws-json-1_0-protocol.html
 *   AWS JSON 1.1  https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html
 *   AWS Query     https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
 *   REST-XML      https://smithy.io/2.0/aws/protocols/aws-restxml-protocol.html
 *                 https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
import type { SigV4Error } from '../auth/sigv4/errors.ts';
import type { AwsError } from '../errors/aws-error.ts';
import type { ServiceModel } from './model.ts';
import type { ValidationOptions } from './validate.ts';

/** The request as the HTTP edge read it (the body once, as bytes). */
export interface WireRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** The errors every service shares, each as this protocol spells it (code, HTTP status, message). */
export interface CommonErrors {
  /** The request named no operation, or one the service does not serve; `apiVersion` is the service's (Query names it). */
  unknownOperation(operation?: string, apiVersion?: string): AwsError;
  /** The body (or form) cannot be read as the operation's input. */
  malformedBody(detail: string): AwsError;
  /** The input breaks a constraint of its model (required, length, pattern, enum, range). */
  validation(message: string): AwsError;
  /** A SigV4 failure of any kind (src/auth/sigv4/errors.ts), from the verifier's own kind. */
  sigv4(failure: SigV4Error): AwsError;
  /** No such access key (or session), or an inactive one; `accessKeyId` is the key the request claimed. */
  unrecognizedClient(accessKeyId: string): AwsError;
  /** Session credentials past their expiration. */
  expiredToken(): AwsError;
  /** IAM policy evaluation denied the call; `message` is AWS's denial text. */
  accessDenied(message: string): AwsError;
  throttling(): AwsError;
  internalFailure(): AwsError;
  /** The body exceeded the configured limit of `limit` bytes. */
  requestTooLarge(limit: number): AwsError;
}

/** What the pipeline needs of a call when writing its response. */
export interface ResponseMeta {
  requestId: string;
}

export interface WireProtocol {
  /** The Smithy protocol name. */
  readonly name: 'awsJson1_0' | 'awsJson1_1' | 'awsQuery' | 'restXml' | 'smithyRpcv2Cbor';
  /**
   * How a request names its service and operation: the `X-Amz-Target` header (JSON), the `Action`
   * parameter of a form or query string (Query), or its method and path (REST).
   */
  readonly addressing: 'target' | 'action' | 'rest';
  /** How validation messages name members (Query: lower-first, as IAM and STS write them). */
  readonly validation: ValidationOptions;
  readonly errors: CommonErrors;
  /**
   * The operation's input from the request. `form` is the Query request's parameters, read once
   * when the request was resolved; other protocols read the request itself.
   */
  decode(model: ServiceModel, operation: string, req: WireRequest, form?: Map<string, string>): Record<string, unknown>;
  encodeResult(model: ServiceModel, operation: string, output: unknown, meta: ResponseMeta): WireResponse;
  /** `model` is the service's; undefined when the request could not be tied to a service. */
  encodeError(model: ServiceModel | undefined, error: AwsError, meta: ResponseMeta): WireResponse;
}

/** The Date header every response carries (SDKs correct their clock skew from it). */
export const responseDate = () => new Date().toUTCString();
